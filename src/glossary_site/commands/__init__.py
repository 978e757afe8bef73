"""COMMANDS: the thin shell. The `glossary-site` entry point, the argument grammar, each command
(build, check, serve, daemon, explain, init, new) and the dev server's watcher.

May import every other layer; nothing imports it.
"""
