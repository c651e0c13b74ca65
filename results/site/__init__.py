"""The public site: short views over results.read, its URLs, feeds, sitemaps, search form and menu."""
