"""Layer `understand`: pure functions from fetched bytes to knowledge — canonical URLs,
charsets, extraction (HTML and PDF), content type, tags and relevance, MinHash signatures.
No Scrapy, no SQLite: each runs in a worker process on plain arguments."""
