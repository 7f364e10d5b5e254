"""Imported by the workers' fork server (pipeline.understand.worker.worker_context) before it
forks the first worker: the models warm (trafilatura and the date parser, the language
identifier, the embedding model) and frozen out of the garbage collector's sight, so that the
forked workers share those pages instead of each loading its own. Each worker then loads only
its crawl's taxonomy and entities (pipeline.understand.worker.prepare_worker).

Importing this module does that work: import it nowhere else.
"""

from pipeline.understand.worker import warm_up

warm_up()
