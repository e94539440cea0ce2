"""Reading an MkDocs site's pages: front matter belongs to MkDocs and its plugins, so
only the keys xint reads can be wrong for xint; options name frameworks and the cache."""

from __future__ import annotations

from pathlib import Path

from xint_site.config import Framework, SiteConfig
from xint_site.mkdocs.markup import material_parser
from xint_site.mkdocs.notebooks import run_pages
from xint_site.mkdocs.options import XintOptions, cache_dir, site_config
from xint_site.pipeline.options import BuildOptions

CONFIG = SiteConfig(frameworks=(Framework(id="numpy", label="NumPy", kernel="python3"),))
BLOG = """---
title: A post
date:
  created: 2024-01-01
hide: [navigation]
timeout: 30
---
# A post

```python numpy
1 + 1
```
"""


def read(docs: Path, *rels: str):
    options = BuildOptions(content_dir=docs, out_dir=docs.parent / "site", execute=False)
    md = material_parser(CONFIG)
    return run_pages(lambda _: md, CONFIG, docs, list(rels), options, docs / "_f")


def test_mkdocs_front_matter_is_not_xints_problem(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "post.md").write_text(BLOG, encoding="utf-8")
    run = read(docs, "post.md")
    assert run.errors == [] and run.warnings == []
    document = run.documents["post.md"]
    assert document.page.meta.timeout == 30 and document.frameworks == ("numpy",)
    assert document.cells[0].line == 10  # lines of the file, front matter included


def test_a_wrong_key_xint_reads_is_an_error_with_its_line(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "post.md").write_text(BLOG.replace("timeout: 30", "timeout: soon"), "utf-8")
    run = read(docs, "post.md")
    assert [str(p).split(": ", 1)[0] for p in run.errors] == [f"{docs}/post.md:6"]
    assert "post.md" not in run.documents  # runs nothing


def options(config_file: Path, **values: object) -> XintOptions:
    opts = XintOptions(config_file_path=str(config_file))
    opts.load_dict(values)
    errors, _ = opts.validate()
    assert errors == []
    return opts


def test_frameworks_from_an_xint_yml_and_the_cache_beside_mkdocs_yml(tmp_path: Path) -> None:
    mkdocs_yml = tmp_path / "mkdocs.yml"
    (tmp_path / "conf").mkdir()
    (tmp_path / "conf" / "frameworks.yml").write_text(
        "frameworks:\n  - {id: jax, label: JAX, kernel: python3}\ntimeout: 5\n", "utf-8"
    )
    config, problems = site_config(options(mkdocs_yml, config="conf/frameworks.yml"), mkdocs_yml)
    assert problems == [] and [f.label for f in config.frameworks] == ["JAX"]
    assert config.timeout == 5
    assert cache_dir(options(mkdocs_yml), mkdocs_yml) == tmp_path / "_freeze"
    assert cache_dir(options(mkdocs_yml, cache_dir="cache"), mkdocs_yml) == tmp_path / "cache"


def test_a_bad_config_file_is_reported_at_its_line(tmp_path: Path) -> None:
    mkdocs_yml = tmp_path / "mkdocs.yml"
    (tmp_path / "xint.yml").write_text("frameworks:\n  - {id: jax, kernal: x}\n", "utf-8")
    _, problems = site_config(options(mkdocs_yml), mkdocs_yml)  # found beside mkdocs.yml
    assert [f"{p.path}:{p.line}" for p in problems] == [f"{tmp_path}/xint.yml:2"]
