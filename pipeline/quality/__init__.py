"""Layer `quality`: measuring the corpus's quality (`prodops eval`) on labelled fixtures."""
