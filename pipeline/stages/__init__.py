"""Item stages, one concern each; their order is pipeline.STAGES."""
