"""Layer `quality`: measuring the corpus's quality (`prodops eval`) on labelled fixtures."""

# The groups of figures `prodops eval` measures, in the order it reports them (`--only` picks
# some): here, so that the command line names them without importing what measures them.
GROUPS = ("extraction", "dedup", "labelled", "markup", "relevance", "search")
