"""What a page shows under its cells, and what a downloaded notebook holds, as text.

Both sides are read as a reader sees them (the page's ``<output>`` text, a notebook's
outputs as Jupyter shows them), so tests can say "the notebook's outputs are the
page's" without using the code that made either.
"""

from __future__ import annotations

import re
from typing import Any

from bs4 import BeautifulSoup, Tag

_ANSI = re.compile(r"\x1b\[[0-9;]*m")


def _shown(text: str) -> str:
    return text.rstrip("\n")


def page_outputs(page: BeautifulSoup, framework: str) -> dict[str, list[str]]:
    """Per cell (its code, stripped), the outputs the page shows under it for
    ``framework``: those in the framework's tab, or those shown once for all."""
    found: dict[str, list[str]] = {}
    for code in page.select("div.highlight[data-cell]"):
        panel = code.find_parent("div", class_="tab-content")
        if panel is not None and panel.get("data-framework") not in (None, framework):
            continue  # another framework's cell
        shown: list[str] = []
        for sibling in code.find_next_siblings():
            if sibling.name == "output":
                shown.append(_output_text(sibling))
                continue
            if "output-tabs" in (sibling.get("class") or []):
                mine = sibling.select_one(f'div.tab-content[data-framework="{framework}"]')
                shown += [_output_text(o) for o in mine.find_all("output")] if mine else []
            break
        found[code.find("pre").get_text().strip()] = shown  # not a Copy button's text
    return found


def _output_text(output: Tag) -> str:
    classes = output.get("class") or []
    if "output-image" in classes:
        return "<image>"
    if "output-html" in classes:
        return " ".join(output.get_text().split())
    return _shown(output.get_text())


def notebook_outputs(notebook: Any) -> dict[str, list[str]]:
    """Per code cell (its source, stripped), its outputs as Jupyter shows them."""
    return {
        cell.source.strip(): [_nb_text(o) for o in cell.outputs]
        for cell in notebook.cells
        if cell.cell_type == "code"
    }


def _nb_text(output: Any) -> str:
    kind = output.output_type
    if kind == "stream":
        return _shown(output.text)
    if kind == "error":
        return _ANSI.sub("", "\n".join(output.traceback)).rstrip("\n")
    data = output.data
    if "text/html" in data:
        return " ".join(BeautifulSoup(data["text/html"], "html.parser").get_text().split())
    if "image/svg+xml" in data or "image/png" in data or "image/jpeg" in data:
        return "<image>"
    return _shown(data.get("text/plain", ""))
