"""Which notebooks a build runs, and which cells each holds: the plan alone, no kernel."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from tests.documents import ALPHA, BETA, CONFIG, document
from xint_site.config import Framework
from xint_site.plan import is_doctest, plan_notebooks, plan_page

TABS = """\
```python
shared_1 = 1
```

```python alpha
alpha_only = 1
```
```python beta
beta_only = 1
```

Prose between.

```python
shared_2 = 1
```
"""


def codes(job) -> list[str]:
    return [c.code.strip() for c in job.cells]


@pytest.fixture
def content(tmp_path: Path) -> Path:
    return tmp_path / "content"


def test_a_tabbed_page_runs_once_per_framework_with_the_shared_cells_in_page_order(
    content: Path,
) -> None:
    alpha, beta = plan_page(document(content, TABS), CONFIG)
    assert (alpha.framework, alpha.label, alpha.kernel) == ("alpha", "Alpha", "python3")
    assert (beta.framework, beta.label, beta.kernel) == ("beta", "Beta", "python3")
    assert codes(alpha) == ["shared_1 = 1", "alpha_only = 1", "shared_2 = 1"]
    assert codes(beta) == ["shared_1 = 1", "beta_only = 1", "shared_2 = 1"]
    assert [c.index for c in alpha.cells] == [0, 1, 3]  # page-wide cell numbers
    assert [c.index for c in beta.cells] == [0, 2, 3]
    assert alpha.env == (("XINT_FW", "alpha"),) and beta.env == (("XINT_FW", "beta"),)
    assert alpha.key == ("p.md", "alpha") and alpha.rel == "p.md"
    assert alpha.cwd == (content / "p.md").parent.resolve()


def test_cells_carry_the_line_of_their_fence_in_the_page_file(content: Path) -> None:
    alpha, _ = plan_page(document(content, TABS), CONFIG)
    # front matter: 4 lines, then a blank line; the body's first fence is on line 6
    assert [c.line for c in alpha.cells] == [6, 10, 19]


def test_only_frameworks_with_a_tab_on_the_page_run_in_the_pages_order(content: Path) -> None:
    body = "```python beta\nb = 1\n```\n```python a\nx = 1\n```\n"  # 'a': alpha's alias
    jobs = plan_page(document(content, body), CONFIG)
    assert [j.framework for j in jobs] == ["beta", "alpha"]  # first seen on the page
    only_beta = plan_page(document(content, "```python beta\nb = 1\n```\n"), CONFIG)
    assert [j.framework for j in only_beta] == ["beta"]


def test_a_page_without_framework_tabs_does_not_run_by_default(content: Path) -> None:
    assert plan_page(document(content, "```python\nprint(1)\n```\n"), CONFIG) == []


@pytest.mark.parametrize(
    ("front", "site"),
    [("layout: page\nexecute: true", None), ("layout: page", True)],
    ids=["front matter", "site config"],
)
def test_execute_true_runs_a_plain_page_once_in_the_default_kernel(
    content: Path, front: str, site: bool | None
) -> None:
    config = replace(CONFIG, execute=site, kernel="my-kernel")
    doc = document(content, "```python\nprint(1)\n```\n\n```python\nprint(2)\n```\n", front)
    (job,) = plan_page(doc, config)
    assert (job.framework, job.label, job.kernel, job.env) == (None, "my-kernel", "my-kernel", ())
    assert codes(job) == ["print(1)", "print(2)"]


def test_execute_false_turns_off_a_tabbed_page_and_beats_the_site(content: Path) -> None:
    doc = document(content, TABS, "layout: page\nexecute: false")
    assert plan_page(doc, replace(CONFIG, execute=True)) == []
    assert plan_page(document(content, TABS), replace(CONFIG, execute=False)) == []


def test_skip_and_doctest_cells_are_left_out(content: Path) -> None:
    body = (
        "```python alpha\nran = 1\n```\n\n```python skip\nskipped = 1\n```\n\n"
        "```python\n\n>>> doctest = 1\n```\n"
    )
    (job,) = plan_page(document(content, body), CONFIG)
    assert codes(job) == ["ran = 1"]


def test_the_run_marker_opts_one_cell_in_on_a_page_that_does_not_run(content: Path) -> None:
    body = "```python run\nme = 1\n```\n\n```python\nnot_me = 1\n```\n"
    (job,) = plan_page(document(content, body), CONFIG)
    assert (job.framework, codes(job)) == (None, ["me = 1"])


def test_prose_tabs_and_other_languages_never_run(content: Path) -> None:
    body = (
        ":::: tab-set\n::: tab Python Shell\n```python\nprint('shell')\n```\n:::\n::::\n\n"
        "```bash\necho hi\n```\n\n```python alpha\nx = 1\n```\n"
    )
    doc = document(content, body)
    (job,) = plan_page(doc, CONFIG)
    assert codes(job) == ["x = 1"]
    assert [c.code.strip() for c in doc.cells] == ["x = 1"]


def test_front_matter_timeouts_isolate_and_files_override_the_site(content: Path) -> None:
    front = "layout: page\ntimeout: 5\nnotebook_timeout: 50\nisolate: true\nfiles: [d.csv]"
    config = replace(CONFIG, timeout=7, notebook_timeout=70)
    (page_job, _) = plan_page(document(content, TABS, front), config)
    assert (page_job.cell_timeout, page_job.notebook_timeout) == (5, 50)
    assert page_job.isolate and page_job.files == ("d.csv",)
    (site_job, _) = plan_page(document(content, TABS, rel="q.md"), replace(config, isolate=True))
    assert (site_job.cell_timeout, site_job.notebook_timeout) == (7, 70)
    assert site_job.isolate and site_job.files == ()


def test_jobs_of_one_kernel_and_environment_share_a_runtime(content: Path) -> None:
    twin = Framework(id="twin", label="Twin", env={"XINT_FW": "alpha"})
    config = replace(CONFIG, frameworks=(ALPHA, BETA, twin))
    body = "".join(f"```python {fw}\nx = 1\n```\n" for fw in ("alpha", "beta", "twin"))
    alpha, beta, twin_job = plan_page(document(content, body, config=config), config)
    assert alpha.runtime == twin_job.runtime == ("python3", (("XINT_FW", "alpha"),))
    assert beta.runtime != alpha.runtime


def test_plan_notebooks_keeps_page_order(content: Path) -> None:
    docs = [document(content, TABS, rel=rel) for rel in ("b.md", "a.md")]
    assert [j.key for j in plan_notebooks(docs, CONFIG)] == [
        ("b.md", "alpha"),
        ("b.md", "beta"),
        ("a.md", "alpha"),
        ("a.md", "beta"),
    ]


@pytest.mark.parametrize(
    ("code", "doctest"),
    [(">>> 1 + 1\n2", True), ("\n  >>> x\n", True), ("x = '>>>'", False), ("", False)],
)
def test_doctest_cells_are_those_whose_first_line_is_a_prompt(code: str, doctest: bool) -> None:
    assert is_doctest(code) is doctest
