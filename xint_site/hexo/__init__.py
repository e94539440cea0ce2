"""Hexo blogs as xint-site sites: ``_config.yml``, posts in ``source/_posts``, and the
URLs Hexo gives posts, pages, tags, categories and archives, so a blog that moves
keeps every URL it had."""
