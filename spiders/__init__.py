"""Scrapy project of ProdOps Curator: settings and the spider that navigates the sources.

One module per way of collecting (feed.py, page.py); curator.py composes them into the one
spider a crawl runs, so every source shares one engine (politeness, retries, robots.txt).
"""
