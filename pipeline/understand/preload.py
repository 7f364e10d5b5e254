"""Imported by the workers' fork server (pipeline.understand.worker.worker_context) before it
forks the first worker: the models warm (trafilatura and the date parser, the language
identifier, the embedding model) and frozen out of the garbage collector's sight, so that the
forked workers share those pages instead of each loading its own. Each worker then loads only
its crawl's taxonomy and entities (pipeline.understand.worker.prepare_worker).

The fork server ignores SIGINT and SIGTERM from its start, as the workers do: `timeout`, cron
and systemd signal every process of a crawl, Ctrl-C every process of the terminal's group,
and a stop is the crawler's to handle. (multiprocessing's server ignores SIGINT only once
its preload has loaded; until then it is started with both blocked:
pipeline.understand.worker.stops_held.) A
fork server that died would take the crawler's view of its workers with it (multiprocessing
reads each worker's exit status through the server, and reads a dead server as every worker
dead). It ends when the crawler does: its pipe to the crawler closes.

Importing this module does that work: import it nowhere else.
"""

import signal

STOPS = (signal.SIGINT, signal.SIGTERM)  # pipeline.understand.worker.STOP_SIGNALS, without importing it first
for number in STOPS:
    signal.signal(number, signal.SIG_IGN)
signal.pthread_sigmask(signal.SIG_UNBLOCK, STOPS)  # held while the server started; ignored now

from pipeline.understand.worker import warm_up  # noqa: E402 - after the signals are ignored

try:
    warm_up()
except Exception:  # noqa: BLE001 - the server must start: a model that cannot load fails in each worker's own warm-up
    pass
