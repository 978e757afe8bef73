"""`glossary-site init DIR`: a new site that builds with the packaged default theme."""

from __future__ import annotations

from pathlib import Path

from ..content.diagnostics import Diagnostics, SourcePos

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


def new_document(root: Path, config, kind: str, title: str, diags: Diagnostics, category: str = "",
                 depth: str = "", kind_label: str = "") -> Path | None:  # fmt: skip
    """`glossary-site new term|article TITLE`: a correctly named file with complete front matter."""
    from ..content.documents import slugify

    slug = slugify(title)
    if not slug:
        diags.error(SourcePos(title), "the title gives an empty file name", "Use letters or digits in the title.")
        return None
    if kind == "term":
        depth = depth or config.depths[0]
        category = category or (config.categories[0] if config.categories else "General")
        if depth not in config.depths:
            diags.error(SourcePos("--depth"), f"unknown depth '{depth}'", f"Use one of: {', '.join(config.depths)}.")
            return None
        if config.categories and category not in config.categories:
            diags.error(SourcePos("--category"), f"unknown category '{category}'",
                        f"Use one of: {', '.join(config.categories)}.")
            return None
        path = root / "terms" / f"{slug}.md"
        text = (f"---\ntitle: {_yaml(title)}\nsummary: {_yaml('One or two sentences: what ' + title + ' is and why it matters.')}\n"
                f"category: {_yaml(category)}\ndepth: {depth}\naliases: []\nrelated: []\n---\n"
                f"The longer explanation of {title}.\n")
    else:
        path = root / "content" / f"{slug}.md"
        text = (f"---\ntitle: {_yaml(title)}\ndate: {_today()}\n"
                f"summary: {_yaml('What this article is about, in a sentence.')}\nkind: {_yaml(kind_label or 'inspiration')}\n"
                f"tags: []\ndraft: true\n---\n\nWrite here.\n")
    if path.exists():
        diags.error(SourcePos(path.relative_to(root).as_posix()), "file already exists; refusing to overwrite it",
                    "Pick another title or edit the existing file.")
        return None
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("x", encoding="utf-8") as handle:  # "x": never overwrite, even in a race
        handle.write(text)
    return path


def _yaml(value: str) -> str:
    import json

    return json.dumps(value, ensure_ascii=False)  # a JSON string is a valid YAML scalar


def _today() -> str:
    import datetime

    return datetime.date.today().isoformat()
