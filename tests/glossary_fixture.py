"""A small glossary shared by the linker tests: every linking rule has a term to exercise it."""

from glossary_site.linking.autolink import LinkContext
from glossary_site.linking.matcher import TermMatcher, inflections, make_form

# slug: (title, aliases, case_sensitive, autolink)
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
}


def matcher() -> TermMatcher:
    return TermMatcher(
        make_form(form, slug, case)
        for slug, (title, aliases, case, auto) in TERMS.items() if auto
        for name in (title, *aliases)
        for form in inflections(name)
    )  # fmt: skip


def context(policy: str = "first-per-article") -> LinkContext:
    names = {slug: slug for slug in TERMS}
    for slug, (title, aliases, _, _) in TERMS.items():
        for name in (title, *aliases):
            names[name.lower()] = slug
    return LinkContext(
        matcher=matcher(),
        base_path="/",
        titles={slug: t[0] for slug, t in TERMS.items()},
        names=names,
        policy=policy,
    )
