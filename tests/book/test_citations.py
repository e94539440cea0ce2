"""Citations from a real .bib through pybtex: author–year labels, the cited list, problems."""

from __future__ import annotations

from pathlib import Path

from tests.book.book_pages import bibliography, heading, outlines
from xint_site.book.bibtex import load_works, parse_works
from xint_site.book.citations import author_year, build_citations

BIB = r"""@article{Zhang.Lipton.Li.ea.2021,
  author = {Zhang, Aston and Lipton, Zachary C. and Li, Mu and Smola, Alexander J.},
  title = {Dive into {Deep} Learning},
  journal = {arXiv preprint arXiv:2106.11342},
  year = {2021}
}

@inproceedings{Lin.Wu.2019,
  author = {Lin, Qi and Wu, Jun},
  title = {Learning {\"U}ber Alles},
  booktitle = {NeurIPS},
  year = 2019,
}

@book{Scholkopf.Smola.2002,
  author = {Sch{\"o}lkopf, Bernhard},
  title = {Learning with Kernels},
  publisher = {MIT Press},
  year = {2002}
}

@article{Maaten.Hinton.2008,
  author = {van der Maaten, Laurens and Hinton, Geoffrey and others},
  title = {Visualizing Data using t-SNE},
  journal = {JMLR},
  year = {2008}
}

@misc{NoYear,
  author = {Nobody, A.},
  title = {Undated},
}
"""


def works(tmp_path: Path):
    path = tmp_path / "d2l.bib"
    path.write_text(BIB, encoding="utf-8")
    found, problems = load_works(path)
    assert problems == [], [str(p) for p in problems]
    return found


def test_author_year_labels_as_d2l_ai_cites(tmp_path):
    found = works(tmp_path)
    assert found["Zhang.Lipton.Li.ea.2021"].label == "Zhang et al., 2021"
    assert found["Lin.Wu.2019"].label == "Lin and Wu, 2019"
    assert found["Scholkopf.Smola.2002"].label == "Schölkopf, 2002"  # LaTeX accents decoded
    assert found["Maaten.Hinton.2008"].label == "van der Maaten et al., 2008"  # "and others"
    assert found["NoYear"].label == "Nobody"


def test_author_year_rules():
    assert author_year(["Zhang"], "2021") == "Zhang, 2021"
    assert author_year(["Lin", "Wu"], "2019") == "Lin and Wu, 2019"
    assert author_year(["Lin", "others"], "2019") == "Lin et al., 2019"
    assert author_year(["A", "B", "C"], "2020") == "A et al., 2020"
    assert author_year([], "2020") == "2020"


def test_entries_are_formatted_by_pybtex_in_html(tmp_path):
    work = works(tmp_path)["Lin.Wu.2019"]
    assert "Lin" in work.html and "Wu" in work.html
    assert "Ü</span>ber" in work.html  # the accent decoded, its braces kept as a span
    assert "<em>NeurIPS</em>" in work.html
    assert work.anchor == "bib-Lin.Wu.2019"


def test_an_entry_missing_a_field_its_style_needs_is_still_listed(tmp_path):
    found, problems = parse_works("@article{a, title = {Only a title}}\n", tmp_path / "x.bib")
    assert problems == []
    assert "Only a title" in found["a"].html


def test_the_bibliography_page_lists_the_cited_works_sorted_by_author(tmp_path):
    pages = outlines(
        {
            "a.md": [heading(1, "A")],
            "refs.md": [heading(1, "References"), bibliography()],
        },
        cites={"a.md": ["Zhang.Lipton.Li.ea.2021", "Lin.Wu.2019", "Missing.2000", "Lin.Wu.2019"]},
    )
    citations = build_citations(works(tmp_path), pages.values(), {"refs.md": "/refs.html"})
    assert citations.page == "refs.md"
    assert citations.cited == ("Zhang.Lipton.Li.ea.2021", "Lin.Wu.2019", "Missing.2000")
    assert [w.key for w in citations.listed()] == ["Lin.Wu.2019", "Zhang.Lipton.Li.ea.2021"]
    assert citations.link(citations.works["Lin.Wu.2019"]) == "/refs.html#bib-Lin.Wu.2019"


def test_a_bibtex_syntax_error_is_a_warning_with_its_line_and_the_rest_is_kept(tmp_path):
    text = "@article{a, title={x}}\n\n@article{b, title={y}\n@article{c, title={z}}\n"
    found, problems = parse_works(text, Path("content/d2l.bib"))
    assert [str(p) for p in problems] == ["content/d2l.bib:4: BibTeX: '}' expected"]
    assert problems[0].severity == "warning"
    assert "a" in found and "c" in found


def test_a_repeated_key_is_a_warning_at_the_second_entry(tmp_path):
    text = "@article{a, title={x}}\n\n@article{a, title={y}}\n"
    found, problems = parse_works(text, Path("content/d2l.bib"))
    assert [str(p) for p in problems] == [
        "content/d2l.bib:3: BibTeX: repeated bibliography entry: a"
    ]
    assert "x" in found["a"].html


def test_a_missing_bib_file_is_a_warning(tmp_path):
    found, problems = load_works(tmp_path / "none.bib")
    assert found == {}
    assert [str(p) for p in problems] == [
        f"{tmp_path}/none.bib: cannot read the bibliography: No such file or directory"
    ]
