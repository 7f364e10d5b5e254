"""Layer `cli`: the `prodops` command line, one module per command group. The only layer
that imports click; library errors become one-line messages (exit status 2) here."""
