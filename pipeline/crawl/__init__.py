"""Layer `crawl`: running one crawl in this process — the runner, the run log extension,
the progress line and the lock that keeps two crawls apart."""
