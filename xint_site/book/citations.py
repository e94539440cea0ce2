"""Citations: the book's BibTeX file read with pybtex, author–year labels, the list of
cited works for the bibliography page.

``:cite:`Key``` shows "(Zhang et al., 2021)" linked to the work on the page that holds
``:bibliography:``, as d2l.ai shows it; that page lists every work the book cites.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pybtex.errors
from pybtex.backends.html import Backend
from pybtex.backends.plaintext import Backend as TextBackend
from pybtex.database import BibliographyData, Entry, Person
from pybtex.database.input.bibtex import Parser
from pybtex.exceptions import PybtexError
from pybtex.richtext import Text
from pybtex.style.formatting.plain import Style

from xint_site.book.outline import Outline
from xint_site.problems import Problem, warning_at

_STYLE = Style()
_BACKEND = Backend()
# render_as("text") looks its backend up among the installed packages' entry points on
# every call (20 ms each): a book's .bib of hundreds of entries took half a minute
_TEXT = TextBackend()


@dataclass(frozen=True)
class Work:
    """One entry of the ``.bib`` file, ready to show."""

    key: str
    label: str  # "Zhang et al., 2021"
    html: str  # the formatted entry
    sort_key: tuple[str, str, str]

    @property
    def anchor(self) -> str:
        return "bib-" + re.sub(r"\s+", "-", self.key)


@dataclass(frozen=True)
class Citations:
    """The works of the book's ``.bib``, the bibliography page, and what the book cites."""

    works: dict[str, Work] = field(default_factory=dict)
    page: str = ""  # the page that holds :bibliography: ("" none)
    href: str = ""  # its URL
    cited: tuple[str, ...] = ()  # keys cited anywhere in the book, first use first

    def listed(self) -> list[Work]:
        """The works the bibliography page lists: those cited, by author, year and title."""
        return sorted((self.works[k] for k in self.cited if k in self.works), key=_sort)

    def link(self, work: Work) -> str:
        return f"{self.href}#{work.anchor}"


def _sort(work: Work) -> tuple[str, str, str]:
    return work.sort_key


def load_works(path: Path) -> tuple[dict[str, Work], list[Problem]]:
    """The works of a ``.bib`` file; what pybtex cannot read is a warning with its line."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        return {}, [warning_at(path, 1, f"not UTF-8 text ({exc.reason})")]
    except OSError as exc:
        return {}, [warning_at(path, 0, f"cannot read the bibliography: {exc.strerror}")]
    return parse_works(text, path)


def parse_works(text: str, path: Path) -> tuple[dict[str, Work], list[Problem]]:
    problems: list[Problem] = []
    with pybtex.errors.capture() as errors:  # pybtex carries on past each one
        try:
            data = Parser().parse_string(text)
        except PybtexError as exc:
            data = BibliographyData()
            errors.append(exc)
    for error in errors:
        line = getattr(error, "lineno", None) or _repeated_line(text, str(error))
        message = re.sub(r"^syntax error in line \d+: ", "", str(error))
        problems.append(warning_at(path, line, f"BibTeX: {message}"))
    works = {key: _work(key, entry) for key, entry in data.entries.items()}
    return works, problems


def _repeated_line(text: str, message: str) -> int:
    """The line of the second entry with a repeated key (pybtex does not say)."""
    m = re.match(r"repeated bibliography entry: (.+)", message)
    if not m:
        return 0
    starts = [
        text.count("\n", 0, found.start()) + 1
        for found in re.finditer(r"@\w+\s*[{(]\s*" + re.escape(m.group(1)) + r"\s*,", text)
    ]
    return starts[1] if len(starts) > 1 else 0


def _work(key: str, entry: Entry) -> Work:
    names = [
        _last_name(p) for p in entry.persons.get("author") or entry.persons.get("editor") or []
    ]
    year = entry.fields.get("year", "") or entry.fields.get("date", "")[:4]
    title = _latex_text(entry.fields.get("title", ""))
    return Work(
        key,
        author_year(names, year) or key,
        _format(key, entry),
        (names[0] if names else title, year, title),
    )


def author_year(names: list[str], year: str) -> str:
    """``Zhang, 2021``, ``Lin and Wu, 2019``, ``Zhang et al., 2021`` (as d2l.ai cites)."""
    if not names:
        return year
    if len(names) == 1:
        who = names[0]
    elif len(names) == 2 and names[1] != "others":
        who = f"{names[0]} and {names[1]}"
    else:
        who = f"{names[0]} et al."
    return f"{who}, {year}" if year else who


def _last_name(person: Person) -> str:
    parts = [*person.rich_prelast_names, *person.rich_last_names]
    return " ".join(p.render(_TEXT) for p in parts)


def _latex_text(latex: str) -> str:
    try:
        return str(Text.from_latex(latex).render(_TEXT))
    except PybtexError:
        return latex


def _format(key: str, entry: Entry) -> str:
    """The entry as pybtex's plain style writes it, in HTML; an entry that lacks a field
    that style needs is shown with what it has."""
    try:
        return str(_STYLE.format_entry(key, entry).text.render(_BACKEND))
    except (PybtexError, KeyError):
        names = ", ".join(str(p) for p in entry.persons.get("author", []))
        parts = [names, _latex_text(entry.fields.get("title", "")), entry.fields.get("year", "")]
        return str(Text(". ".join(p for p in parts if p) + ".").render(_BACKEND))


def build_citations(
    works: dict[str, Work], outlines: Iterable[Outline], hrefs: dict[str, str]
) -> Citations:
    """The book's citations: works, the page holding :bibliography:, the keys cited."""
    outlines = list(outlines)
    page = next((o.rel for o in outlines if o.of_kind("bibliography")), "")
    cited = tuple(dict.fromkeys(key for o in outlines for key in o.cites))
    return Citations(works, page, hrefs.get(page, ""), cited)
