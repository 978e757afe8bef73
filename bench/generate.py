"""Deterministic benchmark corpus: terms with categories, depths, aliases and related lists;
articles of 800-2,000 words with headings, lists, code, links and natural term mentions
(multi-word terms, acronyms, plurals, mentions split across lines).

    python bench/generate.py DIR --terms 1000 --articles 10000
"""

from __future__ import annotations

import argparse
import random
import shutil
from pathlib import Path

CATEGORIES = ["Memory", "Hardware", "Quantization", "Models & inference", "Speech & audio", "Performance",
              "Retrieval", "Serving", "Networking", "Self-hosting", "Sovereignty"]  # fmt: skip
DEPTHS = ["basics", "deeper", "deepest"]
SYLLABLES = ["ka", "lo", "mi", "ra", "ten", "vo", "zu", "pe", "sha", "dri", "no", "qua", "fen", "tor", "bel", "xi"]
FILLER = ("the model runs faster when memory is close and the batch is small enough to fit while each request "
          "waits for its turn and the server keeps a queue of work that grows with traffic over the day").split()
RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10))}
"""Windows device names, which glossary-site refuses as slugs."""
NOUNS = ["cache", "engine", "format", "kernel", "protocol", "scheduler", "buffer", "adapter", "index", "pipeline"]


def term_names(rng: random.Random, count: int) -> list[tuple[str, list[str]]]:
    """Unique (title, aliases): acronyms, single words and multi-word names."""
    seen: set[str] = set()
    names = []
    while len(names) < count:
        kind = rng.random()
        if kind < 0.3:
            title = "".join(rng.choice("ABCDEFGHKLMNPRSTVWXZ") for _ in range(rng.randint(2, 4)))
            if rng.random() < 0.3:
                title += str(rng.randint(2, 16))
        elif kind < 0.6:
            title = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3)))
        else:
            title = " ".join("".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))) for _ in range(2))
            title += " " + rng.choice(NOUNS) if rng.random() < 0.5 else ""
        if title.lower() in seen or slug(title) in RESERVED:
            continue
        aliases = []
        if rng.random() < 0.4:
            alias = "".join(rng.choice(SYLLABLES) for _ in range(3)) + " " + rng.choice(NOUNS)
            if alias.lower() not in seen:
                aliases.append(alias)
                seen.add(alias.lower())
        seen.add(title.lower())
        names.append((title, aliases))
    return names


def slug(title: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in title.lower()).strip("-")


def mention(rng: random.Random, title: str, aliases: list[str]) -> str:
    name = rng.choice([title, title, *aliases]) if aliases else title
    if rng.random() < 0.25:
        name += "s" if not name.endswith("s") else ""
    return name


def paragraph(rng: random.Random, names, words: int) -> str:
    out: list[str] = []
    while len(out) < words:
        if rng.random() < 0.08:
            out += mention(rng, *rng.choice(names)).split()
        else:
            out.append(rng.choice(FILLER))
    text = " ".join(out)
    text = text[0].upper() + text[1:] + "."  # not str.capitalize(): it would lowercase the acronyms
    lines, line = [], []
    for word in text.split():  # hard-wrap at ~80 columns: some mentions span a soft line break
        if sum(len(w) + 1 for w in line) + len(word) > 80:
            lines.append(" ".join(line))
            line = []
        line.append(word)
    return "\n".join(lines + [" ".join(line)])


def article(rng: random.Random, index: int, names, hot: list) -> str:
    words = rng.randint(800, 2000)
    body, written, section = [], 0, 0
    while written < words:
        if written == 0 or rng.random() < 0.12:
            section += 1
            body.append(f"## Section {section}: {rng.choice(FILLER)} {rng.choice(FILLER)}")
        roll = rng.random()
        if roll < 0.08:
            body.append("```python\nfor step in range(10):\n    cache.append(model(step))  # GPU work\n```")
        elif roll < 0.16:
            body.append("\n".join(f"- {paragraph(rng, names, 12)}" for _ in range(rng.randint(2, 4))))
            written += 30
        elif roll < 0.2:
            body.append(f"See [the notes](https://example.org/{index}) and `inline code` for details.")
        else:
            size = rng.randint(40, 120)
            body.append(paragraph(rng, names, size))
            written += size
    if hot and index % 25 == 0:
        body.append(paragraph(rng, [hot], 20))  # the 'hot' term: mentioned by hundreds of articles
    kind = ["inspiration", "whitepaper", "booklet"][index % 3]
    date = f"20{19 + index % 7}-{index % 12 + 1:02}-{index % 28 + 1:02}"  # all past: a future date is not published
    front = (f"---\ntitle: Article {index} about {rng.choice(names)[0]}\ndate: {date}\nkind: {kind}\n"
             f"summary: A generated article number {index}.\ntags: [t{index % 40}, bench]\n---\n")
    return front + "\n\n".join(body) + "\n"


def generate(root: Path, terms: int, articles: int, seed: int = 1) -> Path:
    rng = random.Random(seed)
    if root.exists():
        shutil.rmtree(root)
    (root / "terms").mkdir(parents=True)
    (root / "content").mkdir()
    names = term_names(rng, terms)
    slugs = [slug(t) for t, _ in names]
    # params.hot_term: the term mentioned by every 25th article, for the term-summary edit.
    # No `search:` key: the site builds with the defaults a user gets (search on). bench/run.py
    # measures a copy with `search: false` beside it.
    (root / "site.yaml").write_text(f"title: Bench\nbase_url: /\nparams:\n  hot_term: {slugs[0]}\n")
    for i, (title, aliases) in enumerate(names):
        related = sorted({slugs[rng.randrange(terms)] for _ in range(rng.randint(0, 3))} - {slugs[i]})
        summary = f"{title} is generated term {i}; it sits in {CATEGORIES[i % len(CATEGORIES)]}."
        body = paragraph(rng, names, rng.randint(60, 160))
        alias_list = ", ".join(f'"{a}"' for a in aliases)
        related_list = ", ".join(related)
        (root / "terms" / f"{slugs[i]}.md").write_text(
            f"---\ntitle: \"{title}\"\nsummary: \"{summary}\"\ncategory: \"{CATEGORIES[i % len(CATEGORIES)]}\"\n"
            f"depth: {DEPTHS[i % 3]}\naliases: [{alias_list}]\nrelated: [{related_list}]\n---\n{body}\n"
        )
    hot = names[0]
    for i in range(articles):
        (root / "content" / f"article-{i:05}.md").write_text(article(rng, i, names, hot))
    return root


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("directory", type=Path)
    parser.add_argument("--terms", type=int, default=300)
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    generate(args.directory, args.terms, args.articles, args.seed)
    size = sum(p.stat().st_size for p in args.directory.rglob("*.md"))
    print(f"generated {args.terms} terms and {args.articles} articles ({size / 1e6:.1f} MB) in {args.directory}")


if __name__ == "__main__":
    main()
