"""Jupyter outputs (nbformat dicts) to :class:`Output` values, by MIME priority.

ANSI colours are removed, text is cut at a limit with a visible note, LaTeX
becomes MathML through the same engine as the page's math.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

from xint_site.model import Output, OutputKind

_ANSI = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07]*\x07")
_LATEX_DELIMS = re.compile(r"^\s*(\$\$?|\\\[|\\\()(.*?)(\$\$?|\\\]|\\\))\s*$", re.S)
_IMAGE_LIMIT = 10_000_000  # bytes of base64: larger images are replaced by a note
_IMAGES: tuple[tuple[str, OutputKind], ...] = (("image/png", "png"), ("image/jpeg", "jpeg"))

Latex = Callable[[str, bool], str]


def strip_ansi(text: str) -> str:
    return _ANSI.sub("", text)


def is_output(out: object) -> bool:
    """Whether ``out`` has the nbformat shape :func:`convert_outputs` reads: stored outputs
    (the cache, a file a user edited) are checked with this before they are trusted."""
    if not isinstance(out, dict):
        return False
    kind = out.get("output_type")
    if kind == "stream":
        return isinstance(out.get("name", "stdout"), str) and _is_text(out.get("text", ""))
    if kind in ("execute_result", "display_data"):
        data = out.get("data", {})
        return isinstance(data, dict) and all(
            isinstance(mime, str) and (mime not in _TEXT_MIMES or _is_text(value))
            for mime, value in data.items()
        )
    if kind == "error":
        traceback = out.get("traceback") or []
        return (
            isinstance(traceback, list)
            and all(isinstance(line, str) for line in traceback)
            and all(isinstance(out.get(k, ""), str) for k in ("ename", "evalue"))
        )
    return isinstance(kind, str)  # another kind of output is not shown


_TEXT_MIMES = ("text/html", "image/svg+xml", "image/png", "image/jpeg", "text/latex", "text/plain")


def _is_text(value: object) -> bool:
    """nbformat's multiline string: one string, or a list of strings."""
    if isinstance(value, list):
        return all(isinstance(part, str) for part in value)
    return isinstance(value, str)


def convert_outputs(
    outputs: Iterable[dict[str, Any]], *, latex: Latex, limit: int, show_stderr: bool = True
) -> tuple[Output, ...]:
    converted: list[Output] = []
    for out in outputs:
        kind = out.get("output_type")
        if kind == "stream":
            name: OutputKind = "stderr" if out.get("name") == "stderr" else "stdout"
            if name == "stderr" and not show_stderr:
                continue
            converted += _cut(name, strip_ansi(_text(out.get("text", ""))), limit)
        elif kind in ("execute_result", "display_data"):
            converted += _rich(out.get("data", {}), latex, limit)
        elif kind == "error":
            traceback = "\n".join(
                out.get("traceback") or [f"{out.get('ename')}: {out.get('evalue')}"]
            )
            converted += _cut("error", strip_ansi(traceback), limit)
    return tuple(converted)


def _text(value: Any) -> str:
    return "".join(value) if isinstance(value, list) else str(value)


def _rich(data: dict[str, Any], latex: Latex, limit: int) -> list[Output]:
    if "text/html" in data:
        markup = _text(data["text/html"])
        if len(markup) <= limit * 10:
            return [Output("html", markup)]
        return [_note(f"HTML output of {len(markup):,} characters not shown")]
    if "image/svg+xml" in data:
        return [Output("svg", _text(data["image/svg+xml"]))]
    for mime, kind in _IMAGES:
        if mime in data:
            b64 = "".join(_text(data[mime]).split())
            if len(b64) > _IMAGE_LIMIT:
                return [_note(f"image of {len(b64) * 3 // 4:,} bytes not shown")]
            return [Output(kind, b64)]
    if "text/latex" in data:
        m = _LATEX_DELIMS.match(_text(data["text/latex"]))
        source = m.group(2) if m else _text(data["text/latex"])
        try:
            return [Output("math", latex(source.replace("\\displaystyle", "").strip(), True))]
        except ValueError:
            pass
    if "text/plain" in data:
        return _cut("text", strip_ansi(_text(data["text/plain"])), limit)
    return []


def _cut(kind: OutputKind, text: str, limit: int) -> list[Output]:
    if len(text) <= limit:
        return [Output(kind, text)]
    return [
        Output(kind, text[:limit]),
        _note(f"output cut at {limit:,} of {len(text):,} characters"),
    ]


def _note(text: str) -> Output:
    return Output("note", text)
