"""The mini book (``tests/books/mini``): our own small book in d2l-book's Markdown, built
as a user builds it, with the real MXNet, TensorFlow and PyTorch kernels (``-j 2``).

One build serves the module (a copy of the book, so its cache stays out of the
repository); a second build of the same copy must take every notebook from the cache.
Each test checks one construct of the format as a reader sees it. The broken-reference
tests build another copy with ``--no-execute``. HTML goldens live in ``goldens/``;
regenerate them after a reviewed change with ``XINT_UPDATE_GOLDENS=1``.
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from subprocess import CompletedProcess

import pytest
from bs4 import BeautifulSoup, Tag

from tests.conftest import REPO, UPDATE_GOLDENS, built_files, edited, preview_copy, run_cli
from xint_site.pipeline import BuildOptions, SiteBuilder, build_state

pytestmark = pytest.mark.slow  # real kernels, the CLI

BOOK = REPO / "tests" / "books" / "mini"
GOLDENS = Path(__file__).parent / "goldens"
FRAMEWORKS = ["pytorch", "mxnet", "tensorflow"]  # config.ini's tabs, in order
NOTEBOOKS = 15  # 5 sections with cells x 3 frameworks
NDARRAY = "chapter_basics/ndarray.md"
PAGES = [
    "index.html",
    "chapter_preface/index.html",
    "chapter_basics/index.html",
    "chapter_basics/ndarray.html",
    "chapter_basics/autograd.html",
    "chapter_basics/broadcasting.html",
    "chapter_models/index.html",
    "chapter_models/linreg.html",
    "chapter_models/plotting.html",
    "chapter_references/zreferences.html",
]


@dataclass(frozen=True)
class Built:
    content: Path
    out: Path
    first: CompletedProcess[str]
    second: CompletedProcess[str]

    def page(self, rel: str) -> BeautifulSoup:
        return BeautifulSoup((self.out / rel).read_text(encoding="utf-8"), "html.parser")

    def body(self, rel: str) -> Tag:
        found = self.page(rel).find("div", class_="post-body")
        assert isinstance(found, Tag), rel
        return found


def copy_book(root: Path) -> Path:
    content = root / "mini"
    shutil.copytree(BOOK, content, ignore=shutil.ignore_patterns("_freeze"))
    return content


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    root = tmp_path_factory.mktemp("mini-book")
    content = copy_book(root)
    first = run_cli("build", content, "-o", root / "first", "-j", "2")
    assert first.returncode == 0, first.stderr
    second = run_cli("build", content, "-o", root / "site", "-j", "2")
    assert second.returncode == 0, second.stderr
    return Built(content, root / "site", first, second)


# ------------------------------------------------------------------ the build itself


def test_every_page_is_built_and_every_notebook_ran(built: Built) -> None:
    assert "Traceback" not in built.first.stderr
    summary = built.first.stdout + built.first.stderr
    assert f"{NOTEBOOKS} notebooks: {NOTEBOOKS} executed, 0 from cache, 0 failed" in summary
    for rel in PAGES:
        assert (built.out / rel).is_file(), rel
    assert not (built.out / "README.html").exists()  # excluded by config.ini
    assert not (built.out / "config.ini").exists()
    assert sorted(p.name for p in BOOK.iterdir()) == sorted(
        p.name for p in built.content.iterdir() if p.name != "_freeze"
    ), "the build changed the book's files"


def test_a_second_build_starts_no_kernel(built: Built) -> None:
    summary = built.second.stdout + built.second.stderr
    assert f"{NOTEBOOKS} notebooks: 0 executed, {NOTEBOOKS} from cache, 0 failed" in summary
    assert "ran " not in summary


def test_pages_match_their_goldens(built: Built) -> None:
    """What a reader gets, page by page: the sidebar and the page, outputs included
    (SVG figures and other volatile parts normalised)."""
    for rel in PAGES:
        found = normalised(built.page(rel))
        golden = GOLDENS / (rel.replace("/", "__"))
        if UPDATE_GOLDENS:
            golden.parent.mkdir(exist_ok=True)
            golden.write_text(found, encoding="utf-8")
        assert golden.is_file(), f"no golden for {rel}: run with XINT_UPDATE_GOLDENS=1"
        assert found == golden.read_text(encoding="utf-8"), rel


def normalised(page: BeautifulSoup) -> str:
    book = page.find("div", class_="book")
    assert isinstance(book, Tag)
    for svg in book.select("output svg"):
        svg.replace_with("<svg>…</svg>")  # matplotlib's SVG holds dates and random ids
    text = book.prettify()
    return re.sub(r"0x[0-9a-f]{6,}", "0x…", text)


# ------------------------------------------------------------------ tabs and running


def tab_sets(body: Tag) -> list[Tag]:
    return [t for t in body.find_all("div", class_="tab-set") if "output-tabs" not in t["class"]]


def panel(tab_set: Tag, framework: str) -> Tag:
    found = tab_set.find("div", class_="tab-content", attrs={"data-framework": framework})
    assert isinstance(found, Tag), framework
    return found


def test_cells_make_tab_sets_in_the_books_tab_order(built: Built) -> None:
    """The three ``%%tab`` cells are one tab set, PyTorch (the first tab) checked; each
    tab shows its framework's code and real output, never the ``%%tab`` line."""
    first = tab_sets(built.body("chapter_basics/ndarray.html"))[0]
    radios = first.find_all("input", recursive=False)
    assert [r["data-framework"] for r in radios] == FRAMEWORKS
    assert radios[0].has_attr("checked")
    outputs = {fw: panel(first, fw).get_text() for fw in FRAMEWORKS}
    assert "tensor([0., 1., 2., 3., 4., 5.])" in outputs["pytorch"]
    assert "array([0., 1., 2., 3., 4., 5.])" in outputs["mxnet"]
    assert "<tf.Tensor: shape=(6,), dtype=float32" in outputs["tensorflow"]
    for rel in PAGES:
        text = (built.out / rel).read_text(encoding="utf-8")
        for hidden in ("%%tab", "#@tab", "load_ext", "interact_select", ":begin_tab:"):
            assert hidden not in text, (rel, hidden)


def test_prose_tabs_and_the_cells_beside_them_are_one_tab_set(built: Built) -> None:
    sets = tab_sets(built.body("chapter_basics/autograd.html"))
    assert len(sets) == 1
    torch_tab = panel(sets[0], "pytorch")
    assert "requires_grad=True" in torch_tab.find("p").get_text()
    assert "tensor([ 0.,  4.,  8., 12.])" in torch_tab.get_text()
    assert "GradientTape" in panel(sets[0], "tensorflow").get_text()
    assert "numpy=array([ 0.,  4.,  8., 12.]" in panel(sets[0], "tensorflow").get_text()


def test_tab_selected_is_true_in_its_own_frameworks_run_only(built: Built) -> None:
    """A ``#@tab all`` cell with ``if tab.selected('tensorflow')`` ran the TensorFlow
    branch in TensorFlow and the other one elsewhere (each output proves which), and
    each tab shows only its own branch."""
    shapes = tab_sets(built.body("chapter_basics/ndarray.html"))[1]
    assert "torch.Size([2, 3])" in panel(shapes, "pytorch").get_text()
    assert "(2, 3)" in panel(shapes, "mxnet").get_text()
    assert "TensorShape([2, 3])" in panel(shapes, "tensorflow").get_text()
    torch_code = panel(shapes, "pytorch").find("pre").get_text()
    tf_code = panel(shapes, "tensorflow").find("pre").get_text()
    assert torch_code.startswith("X = x.reshape(2, 3)") and "tf." not in torch_code
    assert tf_code.startswith("X = tf.reshape(x, (2, 3))") and "tab.selected" not in tf_code


def test_a_shared_cell_with_the_same_output_everywhere_shows_it_once(built: Built) -> None:
    body = built.body("chapter_models/linreg.html")
    printed = [o.get_text().strip() for o in body.find_all("output", class_="output-stdout")]
    assert printed.count("entries of w: 2 2") == 1, printed
    # a cell with tab.selected branches is a tab set: its equal outputs stay per tab
    assert printed.count("0.0\n2.1113") == 3, printed


def test_matplotlib_figures_are_svg_in_every_framework(built: Built) -> None:
    body = built.body("chapter_models/plotting.html")
    figures = body.find_all("output", class_="output-image")
    svgs = [f for f in figures if f.find("svg") is not None]
    assert svgs, "no SVG figure"
    assert not body.find_all("img", src=re.compile("^data:image/png"))
    assert len(svgs) == 3  # one per framework (each records its own date)


# ------------------------------------------------------------------ numbers and references


def text_of(tag: Tag | None) -> str:
    assert isinstance(tag, Tag)
    return " ".join(tag.get_text().split())


def test_chapters_sections_and_headings_are_numbered_from_the_toc(built: Built) -> None:
    assert text_of(built.body("chapter_basics/index.html").h1) == "1. Basics"
    assert text_of(built.body("chapter_basics/ndarray.html").h1) == "1.1. Arrays"
    assert text_of(built.body("chapter_basics/ndarray.html").h2).startswith("1.1.1. Shapes")
    assert text_of(built.body("chapter_models/plotting.html").h1) == "2.2. Plotting"
    assert text_of(built.body("chapter_preface/index.html").h1) == "Preface"  # unnumbered
    assert text_of(built.body("chapter_references/zreferences.html").h1) == "References"


def test_figures_tables_and_equations_show_their_numbers(built: Built) -> None:
    linreg = built.body("chapter_models/linreg.html")
    figure = linreg.find("figure", id="fig_linreg")
    assert text_of(figure.figcaption).startswith("Fig. 2.1.1 Data points")
    assert figure.img["src"] == "../img/linreg.svg"
    assert "300px" in figure.img["style"]
    ndarray = built.body("chapter_basics/ndarray.html")
    assert text_of(ndarray.find("table", id="tab_shapes").caption).startswith("Table 1.1.1 ")
    assert text_of(ndarray.find(id="eq_sum").find(class_="eqno")) == "(1.1.1)"
    autograd = built.body("chapter_basics/autograd.html")
    assert text_of(autograd.find(id="eq_grad").find(class_="eqno")) == "(1.2.1)"


def links(body: Tag, cls: str) -> list[tuple[str, str]]:
    return [(text_of(a), a["href"]) for a in body.find_all("a", class_=cls)]


def test_numref_ref_and_eqref_link_across_files_both_ways(built: Built) -> None:
    preface = built.body("chapter_preface/index.html")  # before the pages it names
    assert links(preface, "numref") == [
        ("Section 1.1", "/chapter_basics/ndarray.html"),
        ("Section 2.2", "/chapter_models/plotting.html"),
    ]
    assert links(preface, "eqref") == [("(2.1.1)", "/chapter_models/linreg.html#eq_squared_loss")]
    assert links(preface, "ref") == [("Linear Regression", "/chapter_models/linreg.html")]
    broadcasting = built.body("chapter_basics/broadcasting.html")  # after them
    assert links(broadcasting, "numref") == [
        ("Fig. 1.1", "/chapter_basics/index.html#fig_array"),
        ("Table 1.1.1", "/chapter_basics/ndarray.html#tab_shapes"),
    ]
    assert links(broadcasting, "ref") == [("Shapes", "/chapter_basics/ndarray.html#shapes")]
    linreg = built.body("chapter_models/linreg.html")
    assert ("Section 1.1", "/chapter_basics/ndarray.html") in links(linreg, "numref")


def test_citations_are_author_year_links_to_the_bibliography(built: Built) -> None:
    preface = built.body("chapter_preface/index.html")
    assert links(preface, "cite") == [
        (
            "Rumelhart et al., 1986",
            "/chapter_references/zreferences.html#bib-Rumelhart.Hinton.Williams.1986",
        ),
        (
            "Goodfellow et al., 2016",
            "/chapter_references/zreferences.html#bib-Goodfellow.Bengio.Courville.2016",
        ),
        ("Zhang et al., 2023", "/chapter_references/zreferences.html#bib-Zhang.Lipton.Li.ea.2023"),
    ]
    assert "(Goodfellow et al., 2016; Zhang et al., 2023)" in text_of(preface)


def test_the_bibliography_page_lists_every_cited_work(built: Built) -> None:
    body = built.body("chapter_references/zreferences.html")
    entries = body.find_all("p", class_="citation")
    assert [e["id"] for e in entries] == [
        "bib-Goodfellow.Bengio.Courville.2016",
        "bib-Harris.Millman.ea.2020",
        "bib-Paszke.Gross.Massa.ea.2019",
        "bib-Rumelhart.Hinton.Williams.1986",
        "bib-Zhang.Lipton.Li.ea.2023",
    ]
    assert "Learning representations by back-propagating errors" in text_of(entries[3])


# ------------------------------------------------------------------ the book around pages


def test_the_sidebar_shows_the_numbered_toc_with_the_page_marked(built: Built) -> None:
    page = built.page("chapter_basics/autograd.html")
    sidebar = page.find("nav", class_="book-sidebar")
    assert text_of(sidebar.find(class_="book-title")) == "Dive into Mini Deep Learning"
    assert text_of(sidebar.find(class_="book-authors")) == "Ada Lovelace, Grace Hopper, Alan Turing"
    current = sidebar.find_all("li", class_="current")
    assert [text_of(li.a) for li in current] == ["1.2. Automatic Differentiation"]
    assert current[0].a["aria-current"] == "page"
    entries = [text_of(a) for a in sidebar.find_all("a")][1:]
    assert entries[:3] == ["Preface", "1. Basics", "1.1. Arrays"]
    assert entries[-1] == "References"


def test_previous_and_next_follow_the_toc(built: Built) -> None:
    def pager(rel: str) -> tuple[str, str]:
        nav = built.page(rel).find("nav", class_="book-pager")
        prev, nxt = nav.find("a", rel="prev"), nav.find("a", rel="next")
        return (text_of(prev) if prev else "", text_of(nxt) if nxt else "")

    assert pager("chapter_basics/autograd.html") == (
        "Previous 1.1. Arrays",
        "Next 1.3. Broadcasting",
    )
    assert pager("chapter_basics/broadcasting.html") == (
        "Previous 1.2. Automatic Differentiation",
        "Next 2. Models",
    )
    assert pager("index.html") == ("", "Next Preface")
    assert pager("chapter_references/zreferences.html") == ("Previous 2.2. Plotting", "")


def test_slide_marks_show_their_text_or_nothing(built: Built) -> None:
    text = text_of(built.body("chapter_preface/index.html"))
    assert "This book is about arrays, gradients and one small model, each" in text
    assert "slide-only" not in text and "**" not in text and "~~" not in text


def test_eval_rst_only_html_is_kept(built: Built) -> None:
    preface = built.body("chapter_preface/index.html")
    assert text_of(preface.find("h2")) == "Conventions #"


def test_eval_rst_raw_html_file_is_included(built: Built) -> None:
    index = built.body("index.html")
    assert text_of(index.find("div", class_="mini-frontpage")) == "Three frameworks, one book."


def test_a_book_shows_no_blog_links(built: Built) -> None:
    """A book has no tags or categories: its header links to neither."""
    for rel in PAGES:
        nav = built.page(rel).find("nav", class_="site-nav")
        hrefs = [a["href"] for a in nav.find_all("a")] if isinstance(nav, Tag) else []
        assert not [h for h in hrefs if "tags/" in h or "categories/" in h], rel


def test_fences_that_are_not_input_cells_are_shown_and_never_run(built: Built) -> None:
    preface = built.body("chapter_preface/index.html")
    codes = [text_of(pre) for pre in preface.find_all("pre")]
    assert codes == ["pip install d2l", "from d2l import torch as d2l"]
    assert preface.find("output") is None


# ------------------------------------------------------------------ broken references


@dataclass(frozen=True)
class Broken:
    content: Path
    out: Path
    result: CompletedProcess[str]

    def line_of(self, rel: str, text: str) -> int:
        lines = (self.content / rel).read_text(encoding="utf-8").splitlines()
        return next(i for i, line in enumerate(lines, 1) if text in line)


@pytest.fixture(scope="module")
def broken(tmp_path_factory: pytest.TempPathFactory) -> Broken:
    """The mini book with an unknown label, citation key and toc entry, built without
    running anything."""
    root = tmp_path_factory.mktemp("broken-book")
    content = copy_book(root)
    with open(content / "chapter_models/linreg.md", "a", encoding="utf-8") as page:
        page.write("\nSee also :numref:`sec_nowhere` for more.\n")
    with open(content / "chapter_basics/broadcasting.md", "a", encoding="utf-8") as page:
        page.write("\nAs argued in :cite:`Nobody.2099`.\n")
    index = content / "chapter_models/index.md"
    index.write_text(
        index.read_text(encoding="utf-8").replace("plotting\n", "plotting\nmissing_section\n"),
        encoding="utf-8",
    )
    result = run_cli("build", content, "-o", root / "site", "--no-execute")
    return Broken(content, root / "site", result)


def test_broken_references_are_warnings_and_the_book_is_built(broken: Broken) -> None:
    assert broken.result.returncode == 0, broken.result.stderr
    assert "Traceback" not in broken.result.stderr
    for rel in PAGES:
        assert (broken.out / rel).is_file(), rel
        assert ":numref:" not in (broken.out / rel).read_text(encoding="utf-8"), rel


def test_an_unknown_label_is_a_warning_with_its_place(broken: Broken) -> None:
    rel = "chapter_models/linreg.md"
    line = broken.line_of(rel, "sec_nowhere")
    assert f"{broken.content}/{rel}:{line}: unknown label 'sec_nowhere'" in broken.result.stderr
    body = BeautifulSoup((broken.out / "chapter_models/linreg.html").read_text(), "html.parser")
    marked = body.find("span", class_="d2l-unresolved")
    assert text_of(marked) == "sec_nowhere"


def test_an_unknown_citation_key_is_a_warning_with_its_place(broken: Broken) -> None:
    rel = "chapter_basics/broadcasting.md"
    line = broken.line_of(rel, "Nobody.2099")
    expected = f"{broken.content}/{rel}:{line}: unknown citation key 'Nobody.2099'"
    assert expected in broken.result.stderr
    page = (broken.out / "chapter_basics/broadcasting.html").read_text(encoding="utf-8")
    assert ":cite:" not in page and "Nobody.2099" in page


def test_an_unknown_toc_entry_is_a_warning_with_its_place(broken: Broken) -> None:
    """The place is the line of the entry's toc block."""
    rel = "chapter_models/index.md"
    line = broken.line_of(rel, "```toc")
    expected = f"{broken.content}/{rel}:{line}: toc entry 'missing_section' names no page"
    assert expected in broken.result.stderr


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("../outside.html", "raw HTML file '../outside.html' is outside the content folder"),
        ("gone.html", "cannot read raw HTML file 'gone.html': No such file or directory"),
    ],
)
def test_a_raw_html_file_outside_the_book_or_missing_is_an_error_with_its_line(
    tmp_path: Path, name: str, message: str
) -> None:
    content = copy_book(tmp_path)
    (tmp_path / "outside.html").write_text("<p>secret</p>\n", encoding="utf-8")
    index = content / "index.md"
    index.write_text(
        index.read_text(encoding="utf-8").replace(":file: frontpage.html", f":file: {name}"),
        encoding="utf-8",
    )
    result = run_cli("build", content, "-o", tmp_path / "site", "--no-execute")
    lines = index.read_text(encoding="utf-8").splitlines()
    line = next(i for i, text in enumerate(lines, 1) if ".. raw:: html" in text)
    assert result.returncode == 1
    assert f"{index}:{line}: {message}" in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "site").exists()


# ------------------------------------------------------------------ the preview


def test_a_code_edit_in_the_preview_runs_that_notebook_only(built: Built, tmp_path: Path) -> None:
    """``xint-site serve`` on the book: a PyTorch cell edited on one page runs that
    page's PyTorch notebook alone (in a kernel forked from the warm parent), writes that
    page and its notebooks only, and leaves the site a full build makes of the same
    sources: the new output in place, every number and reference resolved."""
    content = preview_copy(built.content, tmp_path / "mini")  # with the stored outputs
    with SiteBuilder(BuildOptions(content, tmp_path / "out", jobs=1)) as builder:
        first = builder.build()
        assert first.report.ok, first.report.errors
        assert first.executed == 0  # every notebook from the stored outputs
        page = edited(content / NDARRAY, "torch.float32)\n", "torch.float32) + 1\n")
        result = builder.rebuild([page])
        assert result.report.ok, result.report.errors
    assert result.executed == 1
    assert result.written and all(n.startswith("chapter_basics/ndarray") for n in result.written)
    shown = (tmp_path / "out/chapter_basics/ndarray.html").read_text(encoding="utf-8")
    assert "tensor([1., 2., 3., 4., 5., 6.])" in shown
    report, _ = build_state(BuildOptions(content, tmp_path / "full", jobs=1))
    assert report.ok, report.errors
    assert not [run for run in report.execution.runs if not run.from_cache]
    assert built_files(tmp_path / "out") == built_files(tmp_path / "full")
