"""xint-site: one Markdown page, several deep-learning frameworks, real outputs."""

__version__ = "0.1.0"
