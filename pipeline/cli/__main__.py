"""`python -m pipeline.cli`: the same as the `prodops` command."""

import logging

from pipeline.cli.main import main

if __name__ == "__main__":
    logging.captureWarnings(True)
    main()
