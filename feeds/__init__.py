"""Feed knowledge without Scrapy: parsing fetched bytes with feedparser."""
