"""Our markdown-it plugins on MyST-Parser's own parser (what Jupyter Book and Sphinx
use): ``create_md_parser`` makes a markdown-it-py instance, ``md.use`` adds ours."""

from __future__ import annotations

from markdown_it.renderer import RendererHTML
from myst_parser.config.main import MdParserConfig
from myst_parser.parsers.mdit import create_md_parser

from xint_site.markdown import TabNames, cells_plugin, output_block_plugin, tab_sets_plugin

NAMES = TabNames.of([("mxnet", "MXNet", ("mx",)), ("pytorch", "PyTorch", ("torch",))])
PAGE = """\
# Tensors

```python mxnet
x = np.arange(4)
```
```python torch
x = torch.arange(4)
```

:::: tab-set
::: tab MXNet
MXNet's words.
:::
::: tab PyTorch
PyTorch's words.
:::
::::

```{note}
A MyST directive is still MyST's.
```
"""


def myst_with_xint():
    md = create_md_parser(MdParserConfig(), RendererHTML)
    return (
        md.use(output_block_plugin).use(tab_sets_plugin, names=NAMES).use(cells_plugin, names=NAMES)
    )


def test_tab_sets_and_cells_on_mysts_parser() -> None:
    md = myst_with_xint()
    env: dict = {}
    tokens = md.parse(PAGE, env)
    sets = [t for t in tokens if t.type == "tab_set_open"]
    assert [s.meta["frameworks"] for s in sets] == [["mxnet", "pytorch"], ["mxnet", "pytorch"]]
    cells = [(t.meta["cell"], t.meta["framework"]) for t in tokens if "cell" in t.meta]
    assert cells == [(0, "mxnet"), (1, "pytorch")]
    assert env.get("problems", []) == []
    directive = tokens[-1]
    assert directive.type == "fence" and directive.info == "{note}"  # MyST's, untouched
    assert "cell" not in directive.meta


def test_rendered_with_mysts_renderer() -> None:
    html = myst_with_xint().render(PAGE)
    assert '<label for="tab-set--0-input--2" id="tab-set--0-tab--2">PyTorch</label>' in html
    assert "<p>PyTorch's words.</p>" in html
    assert "::::" not in html


def test_a_bad_tab_set_is_reported_with_its_line() -> None:
    env: dict = {}
    myst_with_xint().parse("```python mxnet\n1\n```\n```python mx\n2\n```\n", env)
    assert [(p.line, p.message) for p in env["problems"]] == [
        (3, "tab 'MXNet' appears twice in one tab set (first on line 1)")
    ]
