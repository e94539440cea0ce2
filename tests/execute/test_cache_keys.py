"""The cache key of a notebook: only what changes its outputs is in it (no kernel runs).

Pages are planned as a build plans them, then edited, then planned again: an edit that
cannot change what the cells show keeps the key, so the stored outputs are reused.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from tests.documents import CONFIG, document
from xint_site.execute.cache import notebook_key
from xint_site.plan import NotebookJob, plan_page

BODY = """\
Prose before.

```python
import os
```

```python alpha
os.environ["XINT_FW"] + "-1"
```
```python beta
os.environ["XINT_FW"] + "-1"
```

Prose after.
"""
FRONT = "layout: page\ntags: [a]"


def keys(
    content: Path, body: str = BODY, front: str = FRONT, *, config=CONFIG, files=None
) -> dict[str | None, str]:
    """Each framework's notebook key for the page ``p.md`` made of ``front`` and ``body``."""
    jobs = plan_page(document(content, body, front), config)
    return {job.framework: notebook_key(job, files or {}) for job in jobs}


def test_prose_and_front_matter_edits_keep_every_key(tmp_path: Path) -> None:
    before = keys(tmp_path)
    prose = BODY.replace("Prose before.", "Other prose.\n\n# A heading").replace(
        "Prose after.", "$x^2$ and *more*."
    )
    assert keys(tmp_path, prose) == before
    front = "layout: post\ntitle: renamed\ntags: [b, c]\ndate: 2021-01-01\ntimeout: 9"
    assert keys(tmp_path, BODY, front) == before


def test_a_code_edit_changes_the_key_of_the_notebooks_that_run_it(tmp_path: Path) -> None:
    before = keys(tmp_path)
    alpha_edit = BODY.replace('"-1"\n```\n```python beta', '"-2"\n```\n```python beta')
    after = keys(tmp_path, alpha_edit)
    assert after["alpha"] != before["alpha"]
    assert after["beta"] == before["beta"]  # another framework's cell is not in beta's key
    shared_edit = keys(tmp_path, BODY.replace("import os", "import os  # shared"))
    assert shared_edit["alpha"] != before["alpha"] and shared_edit["beta"] != before["beta"]


def test_a_cell_marked_skip_is_not_in_the_key(tmp_path: Path) -> None:
    before = keys(tmp_path)
    shown_only = BODY.replace("Prose after.", "```python skip\nnever_runs()\n```\n")
    assert keys(tmp_path, shown_only) == before


def test_the_order_of_cells_is_in_the_key(tmp_path: Path) -> None:
    two = "```python alpha\na = 1\n```\n\nthen\n\n```python alpha\nb = 2\n```\n"
    swapped = "```python alpha\nb = 2\n```\n\nthen\n\n```python alpha\na = 1\n```\n"
    assert keys(tmp_path, two)["alpha"] != keys(tmp_path, swapped)["alpha"]


def test_asking_for_isolated_kernels_changes_the_key(tmp_path: Path) -> None:
    before = keys(tmp_path)
    assert set(keys(tmp_path, BODY, FRONT + "\nisolate: true").values()).isdisjoint(before.values())
    site_wide = keys(tmp_path, config=replace(CONFIG, isolate=True))
    assert set(site_wide.values()).isdisjoint(before.values())


def test_kernel_environment_page_and_data_files_are_in_the_key(tmp_path: Path) -> None:
    (job, _) = plan_page(document(tmp_path, BODY, FRONT), CONFIG)
    key = notebook_key(job, {})
    changed: list[NotebookJob] = [
        replace(job, kernel="other-kernel"),
        replace(job, env=(("XINT_FW", "gamma"),)),
        replace(job, rel="q.md"),
        replace(job, framework="beta"),
    ]
    assert all(notebook_key(other, {}) != key for other in changed)
    with_data = notebook_key(job, {"data.csv": "hash-1"})
    assert with_data != key
    assert notebook_key(job, {"data.csv": "hash-2"}) != with_data
    assert notebook_key(job, {"data.csv": "hash-1"}) == with_data


def test_labels_timeouts_and_the_page_folder_are_not_in_the_key(tmp_path: Path) -> None:
    (job, _) = plan_page(document(tmp_path, BODY, FRONT), CONFIG)
    key = notebook_key(job, {})
    same = [
        replace(job, label="Renamed"),
        replace(job, cell_timeout=1, notebook_timeout=2),
        replace(job, cwd=tmp_path / "elsewhere", path=tmp_path / "elsewhere/p.md"),
        replace(job, cells=tuple(replace(c, line=c.line + 10) for c in job.cells)),
    ]
    assert all(notebook_key(other, {}) == key for other in same)
    assert len(key) == 64 and int(key, 16) >= 0  # a sha256, named in the cache's file names
