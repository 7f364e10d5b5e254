"""The shared core of ProdOps Curator: items, stages, storage and the CLI.

STAGES is the one ordered list of item stages; Scrapy's ITEM_PIPELINES is built from it
(spiders/settings.py). Each stage is a plain class with ``process_item(item)``.
"""

STAGES = [
    "pipeline.stages.canonicalize.CanonicalizeStage",
    "pipeline.stages.extract.ExtractStage",
    "pipeline.stages.classify.ClassifyStage",
    "pipeline.stages.tag.TagStage",
    "pipeline.stages.dedup.DedupStage",
    "pipeline.stages.store.StoreStage",
    "pipeline.stages.follow.FollowStage",
]
