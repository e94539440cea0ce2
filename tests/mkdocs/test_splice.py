"""A page through the splice, real Python-Markdown (as MkDocs runs it) and the fill:
xint's parts come back as Material markup, MkDocs' parts stay MkDocs'."""

from __future__ import annotations

import markdown

from xint_site.config import Framework, SiteConfig
from xint_site.mkdocs.markup import arithmatex_math, material_parser
from xint_site.mkdocs.splice import fill, splice_page
from xint_site.model import Output

CONFIG = SiteConfig(
    frameworks=(
        Framework(id="numpy", label="NumPy", kernel="python3"),
        Framework(id="pytorch", label="PyTorch", kernel="xint-pytorch"),
    )
)
PAGE = """\
# Page

Text with $a_1 + b_1$ here.

- an item with $x^2$

> a quote with $y$

```python hide-output
shared = 1
```

```python numpy
a = 1
```
```python pytorch
b = 2
```
<output>written by hand</output>

:::: tab-set
::: tab NumPy
$$
z
$$
:::
::: tab PyTorch
Prose.
:::
::::

Last words.
"""
OUTPUTS = {
    0: {"numpy": (Output("text", "one"),), "pytorch": (Output("text", "one"),)},
    1: {"numpy": (Output("stdout", "from numpy"),)},
    2: {"pytorch": (Output("text", "from <torch>"),)},
}


def python_markdown(text: str) -> str:
    """What MkDocs makes of the Markdown, with Material's usual extensions."""
    extensions = ["toc", "admonition", "pymdownx.superfences", "pymdownx.highlight"]
    return markdown.Markdown(extensions=extensions).convert(text)


def test_tab_sets_outputs_and_math_come_back_in_place() -> None:
    spliced = splice_page(material_parser(CONFIG), PAGE, OUTPUTS, True, "ab12")
    assert "::::" not in spliced.markdown and "$" not in spliced.markdown
    assert "```python\nshared = 1\n```" in spliced.markdown  # the language only
    html, missing = fill(python_markdown(spliced.markdown), spliced.blocks)
    assert missing == [] and "XINT" not in html
    assert '<h1 id="page">Page</h1>' in html  # MkDocs' own
    assert "<p>Text with <math>" in html and "<em>" not in html
    assert "<li>an item with <math>" in html
    assert "<blockquote>\n<p>a quote with <math>" in html
    shared = html.index("shared")
    assert (
        html.index('<div class="xint-output xint-text"><pre><code>one</code></pre></div>') > shared
    )
    assert html.count("xint-output") == 3
    assert "written by hand" not in html  # the run's outputs replace it
    assert '<div class="xint-output xint-stdout"><pre><code>from numpy</code></pre></div>' in html
    assert "from &lt;torch&gt;" in html
    assert html.count('<div class="tabbed-set tabbed-alternate xint-tabs"') == 2
    assert '<div class="xint-math-display"><math display="block">' not in html  # in a tab:
    assert '<math display="block"><mi>z</mi></math>' in html  # rendered by xint there
    assert html.rstrip().endswith("<p>Last words.</p>")


def test_with_arithmatex_prose_math_stays_for_it() -> None:
    md = material_parser(CONFIG, arithmatex_math(generic=True))
    spliced = splice_page(md, PAGE, OUTPUTS, False, "ab12")
    assert "Text with $a_1 + b_1$ here." in spliced.markdown
    assert "- an item with $x^2$" in spliced.markdown
    html, missing = fill(python_markdown(spliced.markdown), spliced.blocks)
    assert missing == []
    assert '<span class="arithmatex">\\[\nz\n\\]</span>' in html  # in the tab: arithmatex's markup


def test_a_page_without_xint_parts_is_left_as_it_is() -> None:
    text = "# Plain\n\nSome `code` and a [link](other.md).\n\n```js\nlet x = 1;\n```\n"
    spliced = splice_page(material_parser(CONFIG), text, {}, True, "ab12")
    assert spliced.markdown == text and spliced.blocks == {}


def test_a_lost_placeholder_is_reported() -> None:
    html, missing = fill("<p>nothing here</p>", {"XINTab12N0X": "<div>tabs</div>"})
    assert html == "<p>nothing here</p>" and missing == ["XINTab12N0X"]


def test_tab_sets_and_outputs_in_lists_and_quotes_stay_there() -> None:
    text = (
        "# Nested\n\n1.  A step:\n\n    ```python numpy\n    a = 1\n    ```\n"
        "    ```python pytorch\n    b = 1\n    ```\n\n2.  Next step.\n\n"
        "> ```python hide-output\n> c = 1\n> ```\n\nEnd.\n"
    )
    outputs = {
        0: {"numpy": (Output("text", "from numpy"),)},
        2: {"numpy": (Output("text", "2"),), "pytorch": (Output("text", "2"),)},
    }
    spliced = splice_page(material_parser(CONFIG), text, outputs, True, "ab12")
    assert "    XINTab12N0X\n" in spliced.markdown  # the list item's indentation
    assert "> ```python\n> c = 1\n> ```\n>\n> XINTab12N1X\n>\n" in spliced.markdown
    html, missing = fill(python_markdown(spliced.markdown), spliced.blocks)
    assert missing == [] and "XINT" not in html
    item = html[html.index("<li>") : html.index("</li>")]
    assert "A step:" in item and '<div class="tabbed-set' in item and "from numpy" in item
    assert "<p>Next step.</p>" in html
    quote = html[html.index("<blockquote>") : html.index("</blockquote>")]
    assert "c</span>" in quote and "xint-output" in quote
    assert html.rstrip().endswith("<p>End.</p>")


def test_each_kind_of_output_is_a_material_block_escaped_or_kept_as_markup() -> None:
    """The same rule as the site's outputs (``render/outputs.py``), Material's markup."""
    kinds = {
        "stderr": "a & <b>",
        "error": "Traceback <x>",
        "png": "iVBOR",
        "jpeg": "/9j/",
        "svg": "<svg></svg>",
        "html": "<b>x</b>",
        "math": "<math></math>",
    }
    outputs = {0: {"numpy": tuple(Output(k, v) for k, v in kinds.items())}}
    page = "```python numpy\nx\n```\n"
    spliced = splice_page(material_parser(CONFIG), page, outputs, True, "ab12")
    html, _ = fill(python_markdown(spliced.markdown), spliced.blocks)
    for block in (
        '<div class="xint-output xint-stderr"><pre><code>a &amp; &lt;b&gt;</code></pre></div>',
        '<div class="xint-output xint-error"><pre><code>Traceback &lt;x&gt;</code></pre></div>',
        '<div class="xint-output xint-image"><img alt="cell output" '
        'src="data:image/png;base64,iVBOR"></div>',
        '<div class="xint-output xint-image"><img alt="cell output" '
        'src="data:image/jpeg;base64,/9j/"></div>',
        '<div class="xint-output xint-image"><svg></svg></div>',
        '<div class="xint-output xint-html"><b>x</b></div>',
        '<div class="xint-output xint-math"><math></math></div>',
    ):
        assert block in html
