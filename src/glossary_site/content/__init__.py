"""LOAD + PARSE + GRAPH: sources, front matter, documents, site config, the term graph, diagnostics,
and the digests every cache key is made of.

Knows no Markdown and no Jinja. Imports nothing else of this package (the lowest layer).
"""
