"""The site: URLs of pages, listings, the theme, assets and writing the output folder."""
