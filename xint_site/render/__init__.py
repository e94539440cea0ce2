"""Rendering: math to MathML, code to highlighted HTML, outputs and page bodies."""
