"""Reading pages: finding Markdown files, splitting and checking front matter."""
