"""Feed and navigation knowledge without fetching: feeds (feedparser), sitemaps, OPML,
robots.txt and feed autodiscovery, read from bytes someone else fetched. The lowest layer: it
imports nothing of pipeline/ or spiders/, and not Scrapy."""
