"""Books in d2l-book's format: ``config.ini``, the toc, numbering, labels, citations.

A content folder with ``config.ini`` is a book. The functions here are pure: they
take what the pages' tokens hold (``outline.py``) and return frozen values; the
pipeline reads the files and calls them in two passes, as Sphinx does (collect every
label, number and citation of the book, then resolve the references of each page).
"""
