"""xint inside MkDocs: the ``xint`` plugin (``plugins: [search, xint]`` in ``mkdocs.yml``).

The plugin is one more front end of the one pipeline: it reads and parses the site's
pages with the markdown-it plugins, plans, caches and runs their notebooks with
``execute/`` (all pages at once, before any page renders), and turns each tab set into
Material's content tabs, with the outputs under the cells. MkDocs renders the rest of
each page as usual.
"""
