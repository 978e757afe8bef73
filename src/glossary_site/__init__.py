"""glossary-site: a static-site generator for a glossary and the articles that use it."""

__version__ = "0.1.0"
