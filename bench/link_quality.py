"""Link quality on a generated corpus whose authors' links are known (issue 20).

    python bench/link_quality.py                  # the generated corpus, every setting; Markdown tables
    python bench/link_quality.py --example        # also the example site (repo root): links per page
    python bench/link_quality.py --articles 600   # a larger corpus (default 400 articles, 120 terms)

The corpus is written the way real glossaries and their documentation are (issue 20 measured
two): terms titled "Long Name (ABBR)", in the plural ("Containers"), of two or three words that
texts hyphenate ("Bare Metal Machine" -> "bare-metal machine"), nouns whose texts use other
words of the same stem ("Scalability" -> "scalable"), plain names, and five terms that are
common words of the field (function, method, object, template, project). Each article is about
two or three terms (several mentions, often its title or a heading) and mentions a few others in
passing; filler text holds words that share a stem with a term without meaning it ("contains",
"observed"). Its author links every term it is about, a third of the specialised terms it
mentions in passing, and a common term only in an article about it: those (article, term) pairs
are the truth.

Each setting builds the same corpus with the real linker (link_context and the Markdown
renderer, as `build` does) and reports:
- recall: the share of the authors' pairs the linker links;
- precision: the share of the linker's pairs the authors made (the issue's "share of links the
  authors would also have made");
- links per page.

Each setting with `stemming: true` is also compared with the same setting without it: the
authors' pairs it adds (recall gained), the pairs it adds that the authors did not make (wrong
links: a filler word such as "observed" linking Observability), and the pairs it loses.
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
import tempfile
from collections import Counter
from pathlib import Path

from glossary_site.build.article_pages import article_page_info
from glossary_site.build.link_stage import link_context
from glossary_site.build.read_stage import read_site
from glossary_site.content.config import load_config
from glossary_site.content.diagnostics import Diagnostics
from glossary_site.linking.autolink import LinkState
from glossary_site.linking.markdown import make_markdown, render_markdown

# (title, category, the forms its authors write, weights)
ABBREVIATED = [("Application Programming Interface", "API"), ("Continuous Integration", "CI"),
               ("Domain Name System", "DNS"), ("Role-Based Access Control", "RBAC"),
               ("Service Level Objective", "SLO"), ("Transport Layer Security", "TLS"),
               ("Infrastructure as Code", "IaC"), ("Content Delivery Network", "CDN"),
               ("Virtual Private Cloud", "VPC"), ("Identity Provider", "IdP"),
               ("Mean Time To Recovery", "MTTR"), ("Single Sign-On", "SSO"),
               ("Write-Ahead Log", "WAL"), ("Remote Procedure Call", "RPC"),
               ("Network File System", "NFS"), ("Key Management Service", "KMS"),
               ("Object Relational Mapper", "ORM"), ("Border Gateway Protocol", "BGP"),
               ("Command Line Interface", "CLI"), ("Time To Live", "TTL")]  # fmt: skip
PLURAL = ["Containers", "Microservices", "Namespaces", "Webhooks", "Secrets", "Volumes", "Replicas",
          "Queues", "Workers", "Snapshots", "Pipelines", "Sidecars", "Labels", "Quotas", "Endpoints",
          "Shards", "Checkpoints", "Artifacts", "Runners", "Buckets"]  # fmt: skip
HYPHENATED = ["Bare Metal Machine", "Load Balancer", "Rate Limiting", "Blue Green Deployment", "Zero Trust",
              "Cold Start", "Hot Reload", "Read Replica", "Dead Letter Queue", "Multi Tenancy",
              "Open Source", "Feature Flag", "Time Series", "Fan Out", "Back Pressure"]  # fmt: skip
STEMMED = [("Scalability", ["scalable", "scalability"]), ("Observability", ["observable", "observability"]),
           ("Virtualization", ["virtualized", "virtualization"]), ("Idempotency", ["idempotent", "idempotency"]),
           ("Orchestration", ["orchestrated", "orchestration"]), ("Replication", ["replicated", "replication"]),
           ("Encryption", ["encrypted", "encryption"]), ("Compression", ["compressed", "compression"]),
           ("Serialization", ["serialized", "serialization"]), ("Provisioning", ["provisioned", "provisioning"])]  # fmt: skip
PLAIN = ["scheduler", "kernel", "hypervisor", "registry", "ingress", "daemon", "proxy", "cache", "tenant",
         "cluster", "node", "partition", "consensus", "quorum", "lease", "heartbeat", "gateway", "router",
         "firewall", "certificate", "token", "cookie", "session", "socket", "thread", "mutex", "semaphore",
         "deadlock", "allocator", "compiler", "linker", "debugger", "profiler", "benchmark", "migration",
         "rollback", "canary", "dashboard", "alert", "runbook"]  # fmt: skip
COMMON = ["function", "method", "object", "template", "project"]
FILLER = ("the a we it this that our team then when each new small large fast slow system service request "
          "response user data file config change release update version build test run call return value "
          "error log metric page step server client network disk memory code review contains observed "
          "scaled orchestra encrypt compress provision replicate virtual serial").split()  # fmt: skip


class Term:
    def __init__(self, slug: str, title: str, category: str, written: list[str], common: bool = False):
        self.slug, self.title, self.category, self.written, self.common = slug, title, category, written, common


def glossary() -> list[Term]:
    terms = []
    for long, abbr in ABBREVIATED:
        terms.append(Term(slug(abbr), f"{long} ({abbr})", "Protocols", [abbr, abbr, abbr, long.lower()]))
    for title in PLURAL:
        singular = title[:-1]
        terms.append(Term(slug(title), title, "Objects", [singular.lower(), singular.lower(), title.lower()]))
    for title in HYPHENATED:
        words = title.lower().split()
        terms.append(Term(slug(title), title, "Patterns", ["-".join(words[:2]) + "".join(" " + w for w in words[2:]),
                                                           " ".join(words)]))  # fmt: skip
    for title, forms in STEMMED:
        terms.append(Term(slug(title), title, "Qualities", forms))
    for name in PLAIN:
        terms.append(Term(slug(name), name, "Basics", [name, name, name + "s"]))
    for name in COMMON:
        terms.append(Term(slug(name), name, "Code", [name, name + "s"], common=True))
    return terms


def slug(text: str) -> str:
    return "-".join(text.lower().replace("-", " ").split())


def sentence(rng: random.Random, mention: str | None = None) -> str:
    words = [rng.choice(FILLER) for _ in range(rng.randint(6, 12))]
    if mention:
        words.insert(rng.randint(1, len(words)), mention)
    text = " ".join(words)
    return text[0].upper() + text[1:] + "."


def article(rng: random.Random, terms: list[Term], n: int) -> tuple[str, set[str]]:
    """One article's file and the terms its author links."""
    special = [t for t in terms if not t.common]
    about = rng.sample(special, rng.randint(2, 3))
    common_about = [t for t in terms if t.common and rng.random() < 0.04]
    passing = rng.sample([t for t in special if t not in about], rng.randint(3, 6))
    common_passing = [t for t in terms if t.common and t not in common_about and rng.random() < 0.55]
    linked = {t.slug for t in about + common_about} | {t.slug for t in passing if rng.random() < 0.33}
    topics = about + common_about
    title = f"Notes on {rng.choice(topics[0].written)}" if rng.random() < 0.5 else f"Field notes {n}"
    paragraphs = []
    for i, topic in enumerate(topics):
        lines = []
        if i and rng.random() < 0.5 or topic.common:
            lines.append(f"## Working with {rng.choice(topic.written)}\n")
        for _ in range(3 if not topic.common else 4):
            lines.append(sentence(rng, rng.choice(topic.written)))
        paragraphs.append("\n".join(lines[:1] + [" ".join(lines[1:])]) if lines[0].startswith("#") else " ".join(lines))
    for other in passing + common_passing:
        paragraphs.append(" ".join([sentence(rng), sentence(rng, rng.choice(other.written)), sentence(rng)]))
    rng.shuffle(paragraphs[len(topics):])
    body = "\n\n".join(paragraphs)
    return f"---\ntitle: {title}\ndate: 2026-01-{n % 28 + 1:02}\n---\n{body}\n", linked


def write_corpus(root: Path, articles: int, derive: bool, site_yaml: str, seed: int = 20) -> dict[str, set[str]]:
    """The site, and the terms each article's author links (by article source)."""
    rng = random.Random(seed)
    terms = glossary()
    (root / "terms").mkdir(parents=True)
    (root / "content").mkdir()
    (root / "site.yaml").write_text("title: Bench\nsearch: false\n" + site_yaml)
    for t in terms:
        extra = "" if derive else "derive: false\n"
        (root / f"terms/{t.slug}.md").write_text(f"---\ntitle: {t.title!r}\nsummary: A term.\ncategory: {t.category}\n"
                                                 f"depth: basics\n{extra}---\nBody.\n")  # fmt: skip
    truth = {}
    for n in range(articles):
        text, linked = article(rng, terms, n)
        (root / f"content/a{n:04}.md").write_text(text)
        truth[f"content/a{n:04}.md"] = linked
    return truth


def linked_pairs(root: Path, stem_links: list | None = None) -> dict[str, set[str]]:
    """What `build` links in each article: its LinkContext and renderer, run per article.
    `stem_links`: gets (article, word, term) of each link the stem rule made (explain's record)."""
    diags = Diagnostics()
    config = load_config(root, diags, output=root / "public")
    corpus, graph, digests = read_site(config, diags)
    context = link_context(graph, config, articles=corpus.articles, digests=digests)
    md = make_markdown(context, config.unsafe_html)
    found = {}
    for a in corpus.articles:
        state = LinkState(body_line=a.body_line, enabled=a.autolink, page=article_page_info(a), explain=stem_links is not None)
        found[a.source] = {slug for slug, _ in render_markdown(md, a.body, state).mentions}
        if stem_links is not None:
            stem_links += [(a.source, text, slug) for _, text, slug, how, _ in state.decisions if "derived: stem" in how]
    return found


def measure(truth: dict[str, set[str]], found: dict[str, set[str]]) -> tuple[float, float, float, int, int]:
    authors = {(a, t) for a, ts in truth.items() for t in ts}
    linker = {(a, t) for a, ts in found.items() for t in ts}
    both = authors & linker
    return len(both) / len(authors), len(both) / max(1, len(linker)), len(linker) / len(found), len(authors), len(linker)


SALIENCE = "link_common_terms: false\ncommon_share: 0.15\n"
SETTINGS = [
    ("names as written (derive: false on every term)", False, ""),
    ("derived names (the default)", True, ""),
    ("derived names, link_common_terms: false", True, SALIENCE),
    ("derived names, link_common_terms: false, max_links_per_paragraph: 2", True,
     SALIENCE + "max_links_per_paragraph: 2\n"),
    ("derived names, stemming: true", True, "stemming: true\n"),
    ("derived names, stemming: true, link_common_terms: false", True, "stemming: true\n" + SALIENCE),
]


def corpus_table(articles: int) -> list[str]:
    rows = ["| setting | recall | precision (authors' share) | links per page | linker's pairs |", "|---|---|---|---|---|"]
    found_by: dict[str, dict[str, set[str]]] = {}
    for label, derive, site_yaml in SETTINGS:
        root = Path(tempfile.mkdtemp(prefix="link-quality-"))
        try:
            truth = write_corpus(root / "site", articles, derive, site_yaml)
            found_by[site_yaml] = linked_pairs(root / "site")
            recall, precision, per_page, authors, linker = measure(truth, found_by[site_yaml])
        finally:
            shutil.rmtree(root, ignore_errors=True)
        rows.append(f"| {label} | {recall:.1%} | {precision:.1%} | {per_page:.2f} | {linker} (authors: {authors}) |")
    return rows + [""] + stemming_table(truth, found_by)


def stemming_table(truth: dict[str, set[str]], found_by: dict[str, dict[str, set[str]]]) -> list[str]:
    """What `stemming: true` changes against the same setting without it, in (article, term) pairs."""
    rows = ["| stemming: true, against the same setting without it | authors' pairs gained | wrong pairs added "
            "(the authors did not link them) | pairs lost | links per page | terms of the wrong pairs |",
            "|---|---|---|---|---|---|"]
    authors = {(a, t) for a, ts in truth.items() for t in ts}
    for label, derive, site_yaml in SETTINGS:
        if not site_yaml.startswith("stemming: true\n"):
            continue
        pairs = lambda found: {(a, t) for a, ts in found.items() for t in ts}  # noqa: E731
        on, off = pairs(found_by[site_yaml]), pairs(found_by[site_yaml.removeprefix("stemming: true\n")])
        added, lost = on - off, off - on
        per_page = (len(off) / len(truth), len(on) / len(truth))
        wrong = Counter(t for _, t in added - authors)
        rows.append(f"| {label.removeprefix('derived names, ')} | {len(added & authors)} "
                    f"(recall +{len(added & authors) / len(authors):.1%}) | {len(added - authors)} | {len(lost)} "
                    f"({len(lost & authors)} of the authors') | {per_page[0]:.2f} -> {per_page[1]:.2f} | "
                    f"{', '.join(f'{t} {n}' for t, n in sorted(wrong.items(), key=lambda tn: (-tn[1], tn[0])))} |")  # fmt: skip
    return rows


def example_table(repo: Path) -> list[str]:
    rows = ["| example site | links per page | pairs |", "|---|---|---|"]
    stem_links: list = []
    for label, site_yaml in [("as it is", ""), ("link_common_terms: false", "link_common_terms: false\n"),
                             ("link_common_terms: false, common_share: 0.5", "link_common_terms: false\ncommon_share: 0.5\n"),
                             ("stemming: true", "stemming: true\n")]:
        root = Path(tempfile.mkdtemp(prefix="link-quality-example-"))
        try:
            site = root / "site"
            shutil.copytree(repo, site, ignore=shutil.ignore_patterns(".git", "public", ".glossary-cache", "src", "tests",
                                                                      "bench", "node_modules"))  # fmt: skip
            (site / "site.yaml").write_text((site / "site.yaml").read_text() + "\n" + site_yaml)
            found = linked_pairs(site, stem_links if "stemming" in site_yaml else None)
        finally:
            shutil.rmtree(root, ignore_errors=True)
        pairs = sum(map(len, found.values()))
        rows.append(f"| {label} | {pairs / len(found):.2f} | {pairs} |")
    words = Counter((text.lower(), slug) for _, text, slug in stem_links)
    rows += ["", f"Links the stem rule makes on the example site ({len(stem_links)}): "
             + ", ".join(f"'{text}' -> {slug}" + (f" ({n}x)" if n > 1 else "") for (text, slug), n in sorted(words.items()))]
    return rows


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=400)
    parser.add_argument("--example", action="store_true", help="also the example site at the repository root")
    args = parser.parse_args(argv)
    terms = glossary()
    print(f"Generated corpus: {len(terms)} terms, {args.articles} articles (seed 20)\n")
    print("\n".join(corpus_table(args.articles)))
    if args.example:
        print()
        print("\n".join(example_table(Path(__file__).resolve().parent.parent)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
