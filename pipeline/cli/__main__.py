"""`python -m pipeline.cli` and the `prodops` command.

The CLI is imported inside run(), not at the top: a worker process of the crawl's pool
(forked by multiprocessing's fork server, pipeline.understand.worker.worker_context) imports
its parent's main module (this one, or the `prodops` script that calls run) before its first
task, as a spawned process does; it needs none of the CLI.
"""

import logging
import signal
import sys


def run() -> None:
    """The `prodops` command line. A SIGTERM (cron's, systemd's, `timeout`'s stop) stops
    every command as Ctrl-C does: an interruption, which the commands that run long handle
    as such (the crawl's own handlers take over while it runs: pipeline/crawl/runner.py)."""
    signal.signal(signal.SIGTERM, interrupt)
    try:
        from pipeline.cli.main import main
    except KeyboardInterrupt:  # Ctrl-C while the command line loads: nothing was done yet
        print("Aborted!", file=sys.stderr)  # what click says of a Ctrl-C once it runs
        sys.exit(1)
    logging.captureWarnings(True)
    # A log record that cannot be written (the log file's disk full) is dropped, not printed to
    # the terminal with a traceback for each: the command's own error says what went wrong.
    logging.raiseExceptions = False
    main()


def interrupt(signum, frame) -> None:
    """A signal handler: the signal stops the command as Ctrl-C does."""
    raise KeyboardInterrupt


if __name__ == "__main__":
    run()
