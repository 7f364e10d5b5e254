"""Layer `publish`: what readers see — Datasette's configuration and plugin, the search
engine of /-/search, and the exports (Markdown, CSV, JSON, Atom, HTML)."""
