"""A small glossary shared by the linker tests: every linking rule has a term to exercise it."""

from pathlib import Path

from glossary_site.build.link_stage import ambiguous_forms, ambiguous_stems, term_forms, term_stems
from glossary_site.content.config import SiteConfig
from glossary_site.content.diagnostics import Diagnostics
from glossary_site.content.documents import Term
from glossary_site.content.graph import build_graph
from glossary_site.linking.autolink import LinkContext
from glossary_site.linking.derived import deriver, stem_claims
from glossary_site.linking.languages import rules_for
from glossary_site.linking.matcher import TermMatcher, inflections, make_form

# slug: (title, aliases, case_sensitive, autolink[, other front matter])
TERMS = {
    "kv-cache": ("KV cache", ["key-value cache"], None, True),
    "kv-cache-quantization": ("KV cache quantization", [], None, True),
    "ram": ("RAM", ["random-access memory"], None, True),
    "sm": ("SM", ["streaming multiprocessor"], None, True),
    "oom": ("OOM", ["out of memory"], None, True),
    "gpu": ("GPU", [], None, True),
    "token": ("token", [], None, True),
    "tokenizer": ("tokenizer", [], None, True),
    "embedding": ("embedding", [], None, True),
    "prompt": ("prompt", [], None, True),
    "prompt-engineering": ("prompt engineering", [], None, True),
    "attention": ("attention", [], None, True),
    "cloud-native-apps": ("Cloud Native Apps", [], None, True),
    "llama-cpp": ("llama.cpp", [], None, True),
    "top-p": ("top-p", [], None, True),
    "int4": ("INT4", [], None, True),
    "2fa": ("2FA", [], None, True),
    "a3b": ("A3B", [], None, True),
    "moe": ("MoE", ["mixture of experts"], None, True),
    "lora": ("LoRA", [], None, True),
    "vllm": ("vLLM", [], None, True),
    "iaas": ("IaaS", [], None, True),
    "gguf": ("GGUF", [], None, True),
    "query": ("query", [], None, True),
    "bus": ("bus", [], None, True),
    "age": ("age", [], None, False),
    "rust": ("Rust", [], True, True),
    "nas": ("NAS", [], False, True),
    # Derived names (linking/derived.py), ambiguity and salience:
    "api": ("Application Programming Interface (API)", [], None, True),
    "containers": ("Containers", [], None, True),
    "bare-metal": ("Bare Metal", [], None, True),
    "moores-law": ("Moore's law", [], None, True),
    "file-system": ("\ufb01le system", [], None, True),
    "web-hook": ("Web Hook (WH)", [], None, True, {"derive": False}),
    "graphics-processing-unit": ("Graphics Processing Unit (GPU)", [], None, True),
    "pod": ("Pod (Kubernetes)", [], None, True, {"disambiguate": ("k8s", "orchestration")}),
    "podcast-pod": ("Pod (Podcast)", [], None, True, {"disambiguate": ("audio",)}),
    "function": ("function", [], None, True),
    # Stems (`stemming: true`; linking/stems.py): 'scalable' and 'observed' share these titles' stems.
    "scalability": ("Scalability", [], None, True),
    "observability": ("Observability", [], None, True),
    "observer": ("observer", [], None, True, {"derive": False}),  # its name links; it claims no stem
    "virtualization": ("Virtualization", [], None, True, {"derive": False}),
}


def matcher() -> TermMatcher:
    return TermMatcher(
        make_form(form, slug, case)
        for slug, (title, aliases, case, auto, *_) in TERMS.items() if auto
        for name in (title, *aliases)
        for form in inflections(name)
    )  # fmt: skip


def graph():
    terms = tuple(Term(slug, title, "S.", "General", "basics", tuple(aliases), (), auto, case, "", 1, f"terms/{slug}.md",
                       **(extra[0] if extra else {}))
                  for slug, (title, aliases, case, auto, *extra) in TERMS.items())  # fmt: skip
    config = SiteConfig(root=Path("."), output=Path("out"))
    return build_graph(terms, config, Diagnostics(), deriver("en"))


GRAPH = graph()


def context(policy: str = "first-per-article", common=(), salient_mentions: int = 3, max_per_paragraph: int = 0,
            stemming: bool = False) -> LinkContext:  # fmt: skip
    """The linker's context for the glossary above, as a build makes it for an English site;
    `common`: the terms salience treats as common (a build counts them over its articles);
    `stemming`: the site option (words link by their stems too)."""
    names = {slug: slug for slug in TERMS}
    for slug, (title, aliases, *_) in TERMS.items():
        for name in (title, *aliases):
            names[name.lower()] = slug
    rules = rules_for("en")
    claims = stem_claims(GRAPH) if stemming else {}
    return LinkContext(
        matcher=TermMatcher(term_forms(GRAPH, rules), term_stems(GRAPH, claims)),
        base_path="/",
        titles={slug: t[0] for slug, t in TERMS.items()},
        names=names,
        policy=policy,
        ambiguous={**ambiguous_forms(GRAPH, rules), **ambiguous_stems(GRAPH, claims)},
        common={slug: 0.5 for slug in common},
        salient_mentions=salient_mentions,
        max_per_paragraph=max_per_paragraph,
    )
