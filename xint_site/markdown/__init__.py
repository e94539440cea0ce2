"""markdown-it-py plugins for framework tab sets, math and outputs.

Each plugin is a plain ``plugin(md, **options)`` for ``md.use(...)``. Problems
found while parsing are appended to ``env["problems"]`` as ``Problem`` values
(``xint_site.problems``) with 0-based lines of the parsed text, so a tool can
report them all at once.
"""
