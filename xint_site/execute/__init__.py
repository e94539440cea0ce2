"""Executing cells: one notebook per page and framework, in that framework's kernel."""
