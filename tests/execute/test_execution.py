"""Cells run in real kernels, shared and per-framework, in page order.

Each page is its own notebook, so the pages below are built together, one build per
configuration they need (a kernel start per build instead of one per test).
"""

from __future__ import annotations

import pytest

from tests.execute.conftest import TWO_FRAMEWORKS, Built, build_in, page

pytestmark = pytest.mark.slow

TABS = """\
```python
import os
trail = ["shared-1"]
```

```python alpha
trail.append("alpha-" + os.environ["XINT_FW"])
```
```python beta
trail.append("beta-" + os.environ["XINT_FW"])
```

```python
trail.append("shared-2")
trail
```
"""
EVERY_KIND = """\
```python
import sys
print("to stdout")
print("to stderr", file=sys.stderr)
```

```python
"<tf.Tensor: shape=(2,)>"
```

```python
from IPython.display import HTML, SVG, Latex, Image, display
import base64
display(HTML("<table><tr><td>cell</td></tr></table>"))
display(SVG('<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"><rect width="4" height="4"/></svg>'))
png = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==")
display(Image(data=png, format="png"))
Latex(r"$\\frac{a}{b}$")
```

```python
None
```

```python raises
print("\\x1b[31mred\\x1b[0m")
1 / 0
```
"""
OUTPUTS_ONLY_TABS = """\
```python alpha
pass
```
```python beta
pass
```

```python
import os
os.environ["XINT_FW"]
```

<div class="tab-set w3-light-grey">
<input checked id="o1" name="o" type="radio">
<label for="o1">Alpha</label>
<div class="tab-content w3-padding">
<output>'stale'</output>
</div>
<input id="o2" name="o" type="radio">
<label for="o2">Beta</label>
<div class="tab-content w3-padding">
<output>'stale'</output>
</div>
</div>
"""
RUNS = "layout: page\nexecute: true"
PAGES = {
    "order.md": page(TABS),
    "same.md": page(
        "```python alpha\na = 1\n```\n```python beta\na = 1\n```\n\n```python\na + 41\n```\n"
    ),
    "kinds.md": page(EVERY_KIND, RUNS),
    "sub/p.md": page("```python\nopen('data.txt').read()\n```\n", RUNS),
    "sub/data.txt": "here",
    "replace.md": page(
        "```python alpha\n2 * 3\n```\n<output>5</output>\n\n```python beta\n7\n```\n"
    ),
    "outputs-only.md": page(OUTPUTS_ONLY_TABS),
}
LIMITS = {
    "stderr.md": page(
        "```python\nimport sys\nprint('e', file=sys.stderr)\nprint('o')\n```\n", RUNS
    ),
    "long.md": page("```python\nprint('x' * 50000)\n```\n", RUNS),
}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    built = build_in(tmp_path_factory.mktemp("execution"), PAGES)
    assert built.result.returncode == 0, built.stderr
    return built


@pytest.fixture(scope="module")
def limited(tmp_path_factory: pytest.TempPathFactory) -> Built:
    config = TWO_FRAMEWORKS + "show_stderr: false\noutput_limit: 1000\n"
    built = build_in(tmp_path_factory.mktemp("limits"), LIMITS, config=config)
    assert built.result.returncode == 0, built.stderr
    return built


def texts(soup, selector: str = "output") -> list[str]:
    return [o.get_text() for o in soup.select(selector)]


def test_shared_and_tab_cells_run_in_page_order_per_framework(built: Built) -> None:
    soup = built.page("order")
    outputs = soup.select("div.output-tabs div.tab-content output")
    assert [o.get_text() for o in outputs] == [
        "['shared-1', 'alpha-alpha', 'shared-2']",
        "['shared-1', 'beta-beta', 'shared-2']",
    ]
    labels = [lb.get_text() for lb in soup.select("div.output-tabs > label")]
    assert labels == ["Alpha", "Beta"]


def test_shared_output_identical_in_every_framework_is_shown_once(built: Built) -> None:
    soup = built.page("same")
    assert texts(soup) == ["42"]
    assert not soup.select("div.output-tabs")


def test_every_output_kind(built: Built) -> None:
    soup = built.page("kinds")
    kinds = [o["class"][0] for o in soup.find_all("output")]
    assert kinds == [
        "output-stdout",
        "output-stderr",
        "output-text",
        "output-html",
        "output-image",
        "output-image",
        "output-math",
        "output-stdout",
        "output-error",
    ]
    stdout, stderr, text = soup.find_all("output")[:3]
    assert (stdout.get_text(), stderr.get_text()) == ("to stdout", "to stderr")
    assert text.get_text() == "'<tf.Tensor: shape=(2,)>'"
    assert "&lt;tf.Tensor" in str(text)
    assert soup.select_one("output.output-html table td").get_text() == "cell"
    assert soup.select_one("output.output-image svg rect") is not None
    assert soup.select_one("output.output-image img")["src"].startswith(
        "data:image/png;base64,iVBOR"
    )
    assert soup.select_one("output.output-math math mfrac") is not None
    error = soup.select_one("output.output-error").get_text()
    assert "ZeroDivisionError: division by zero" in error and "\x1b" not in error
    assert soup.find_all("output")[-2].get_text() == "red"


def test_stderr_can_be_hidden(limited: Built) -> None:
    assert texts(limited.page("stderr")) == ["o"]


def test_cell_runs_in_the_page_folder(built: Built) -> None:
    assert texts(built.page("sub/p")) == ["'here'"]


def test_executed_outputs_replace_hand_written_ones(built: Built) -> None:
    assert texts(built.page("replace")) == ["6", "7"]


def test_outputs_only_tabs_are_replaced_by_the_shared_cells_real_outputs(built: Built) -> None:
    soup = built.page("outputs-only")
    assert texts(soup) == ["'alpha'", "'beta'"]
    assert len(soup.select("div.tab-set")) == 2  # the code tabs and the real output tabs


def test_no_execute_keeps_the_written_outputs(build) -> None:
    body = "```python alpha\n2 * 3\n```\n<output>5</output>\n"
    built = build({"p.md": page(body)}, "--no-execute")
    assert texts(built.page()) == ["5"]


def test_long_output_is_cut_with_a_note(limited: Built) -> None:
    stdout, note = limited.page("long").find_all("output")
    assert len(stdout.get_text()) == 1000
    assert note.get_text() == "output cut at 1,000 of 50,001 characters"
