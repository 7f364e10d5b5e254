"""Layer `stages`: thin Scrapy item stages over the `understand` and `store` functions, and
the worker pool they share; their order is pipeline.STAGES."""
