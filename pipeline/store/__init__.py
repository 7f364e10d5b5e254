"""Layer `store`: the SQLite corpus — schema and migrations, documents and sightings,
duplicate clusters, runs and source health, validators, curated lists resolved, retagging.
Never imports Scrapy, click or the publishing layer."""
