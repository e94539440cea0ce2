"""The book's BibTeX file read with pybtex: each entry as a :class:`Work`, with its
author–year label and pybtex's plain style in HTML. Imported only by a book that
names a ``.bib`` (pybtex takes a tenth of a second to import)."""

from __future__ import annotations

import re
from pathlib import Path

import pybtex.errors
from pybtex.backends.html import Backend
from pybtex.backends.plaintext import Backend as TextBackend
from pybtex.database import BibliographyData, Entry, Person
from pybtex.database.input.bibtex import Parser
from pybtex.exceptions import PybtexError
from pybtex.richtext import Text
from pybtex.style.formatting.plain import Style

from xint_site.book.citations import Work, author_year
from xint_site.problems import Problem, warning_at

_STYLE = Style()
_BACKEND = Backend()
# render_as("text") looks its backend up among the installed packages' entry points on
# every call (20 ms each): a book's .bib of hundreds of entries took half a minute
_TEXT = TextBackend()


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
