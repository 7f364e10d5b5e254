"""Layer `config`: the files a curator edits — sources, taxonomy, curated lists — read and
validated into plain dataclasses, and written back keeping their comments. Imports `feeds`
(OPML) and nothing else of the project."""
