"""`glossary-site init DIR`: a new site that builds with the packaged default theme."""

from __future__ import annotations

from pathlib import Path

from .diagnostics import Diagnostics, SourcePos

FILES = {
    "site.yaml": """\
title: My Glossary
description: Terms and the articles that use them.
base_url: /
language: en
depths: [basics, deeper, deepest]
# categories: [Memory, Hardware]   # uncomment to fix the order and reject unknown ones
link_policy: first-per-article      # or first-per-section, every
""",
    "terms/token.md": """\
---
title: token
summary: A token is the small piece of text, often part of a word, that a language model reads and writes.
category: Basics
depth: basics
aliases: [tokens]
related: [context-window]
---
Models count everything in tokens: prompt length, output length and price.
""",
    "terms/context-window.md": """\
---
title: context window
summary: The context window is how many tokens a model can look at in one go.
category: Basics
depth: deeper
related: [token]
---
Everything the model should consider (instructions, documents, history) must fit in it.
""",
    "content/hello.md": """\
---
title: Hello, glossary
date: 2026-01-01
summary: A first article whose term mentions link to the glossary.
kind: inspiration
tags: [welcome]
---
Every token you send counts against the context window. Mentions of glossary
terms link to their entries automatically; write [[token|an explicit link]] when you want one.
""",
}


def init_site(directory: Path, diags: Diagnostics) -> None:
    if directory.exists() and any(directory.iterdir()):
        diags.error(SourcePos(str(directory)), "directory is not empty; refusing to overwrite anything in it",
                    "Choose a new directory name.")
        return
    for rel, text in FILES.items():
        path = directory / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
