"""`python -m pipeline.cli` and the `prodops` command.

The CLI is imported inside run(), not at the top: a worker process of the crawl's pool
(forked by multiprocessing's fork server, pipeline.understand.worker.worker_context) imports
its parent's main module (this one, or the `prodops` script that calls run) before its first
task, as a spawned process does; it needs none of the CLI.
"""

import logging


def run() -> None:
    """The `prodops` command line."""
    from pipeline.cli.main import main

    logging.captureWarnings(True)
    main()


if __name__ == "__main__":
    run()
