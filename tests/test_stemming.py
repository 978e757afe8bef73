"""`stemming: true` (linking/stems.py): words of a term's stem link to it on English sites; the
prefix rule the matcher relies on; what explain says; ambiguity; the option's checks; and every
build route equal to a clean build when the option is turned on and off."""

import pickle
import random
import shutil
import sys

import pytest
from conftest import in_ci, make_site, run_cli
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from test_derived_and_salience import article, build_links, explain, term
from test_edit_path import age, assert_equals_clean, cli_build
from test_incremental import BASE, apply, assert_routes_equal_clean, build, operation

from glossary_site.build.cache import BuildCache
from glossary_site.build.read_stage import read_site
from glossary_site.build.salience import forms_key
from glossary_site.content.config import load_config
from glossary_site.content.diagnostics import Diagnostics
from glossary_site.content.documents import Term
from glossary_site.linking import stems
from glossary_site.linking.derived import stem_names
from glossary_site.linking.languages import rules_for
from glossary_site.linking.matcher import Match, TermMatcher, make_form
from glossary_site.linking.stems import MIN_STEM, StemName, split_name, stem, word_prefix

# --- the prefix rule: every word of a stem begins with word_prefix(stem) ---------------------------

# Words of every step of the Snowball English algorithm (its suffixes, y -> i, e added and taken
# away, doubled consonants, the exceptional forms). Checked once on 1.4 million words (every word of
# letters in the text files on a development machine): no exception, with snowballstemmer 1.9 to 3.1.
WORDS = """scalability scalable scaling scaled observability observable observed observer observation
virtualization virtualized idempotency idempotent orchestration orchestrated replication replicated encryption
encrypted compression compressed serialization serialized provisioning provisioned contains container
containerized microservices caching cached generously generalization generalize probability probably possibly
capably capability sensibility conditional relational rational valency hesitancy vietnamization predication
operator feudalism decisiveness hopefulness callousness formality sensitivity sensibly irrelevantly fruitfully
lessly analogously archaeological triplicate formative formalize electriciti electrical hopeful goodness
revival allowance inference airliner gyroscopic adjustable defensible irritant replacement adjustment
dependent adoption homologou communism activate angularity homologous effective bowdlerize dying lying tying
skies skis early gently idly ugly only singly news howe atlas cosmos bias andes inning outing canning herring
earring proceed exceed succeed generate generically communal arsenal agreed feed hoping hopping filing filling
luxuriate tanned fizzed cried ties gas this hopefully happily happiness emptiness yelling yearly bye eyeing
sky ably abilities multiplies multiplied crying dyed agreeably fully""".split()
SUFFIXES = ("s es ies ied ed ing ingly edly eed eedly y ly li tional enci anci abli entli izer ization ational ation "
            "ator alism aliti alli fulness ousli ousness iveness iviti biliti bli ogi fulli lessli alize icate iciti "
            "ical ful ness ative al ance ence er ic able ible ant ement ment ent ism ate iti ous ive ize ion e ll sses us "
            "ss at bl iz ably ibly ility ity").split()  # fmt: skip


def test_every_word_begins_with_the_prefix_of_its_stem():
    for word in WORDS:
        found = stem(word)
        assert len(found) < MIN_STEM or word.startswith(word_prefix(found)), (word, found)


@settings(max_examples=3000 if in_ci() else 500, deadline=None)
@given(st.text("abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=8), st.lists(st.sampled_from(SUFFIXES), max_size=3),
       st.booleans())  # fmt: skip
def test_random_words_of_every_suffix_begin_with_the_prefix_of_their_stem(base, suffixes, y):
    word = ("y" if y else "") + base + "".join(suffixes)
    found = stem(word)
    assert len(found) < MIN_STEM or word.startswith(word_prefix(found)), (word, found)


def test_the_stems_issue_20_names():
    """What Snowball really gives: 'scalable' shares Scalability's stem, 'scaling' does not
    ('scale'); the generated corpus's filler words 'observed' and 'contains' share the stems of
    Observability and Containers (the cost, measured in bench/results-links.md)."""
    assert stem("scalability") == stem("scalable") == "scalabl" != stem("scaling") == "scale"
    assert stem("observability") == stem("observed") == "observ" and stem("containers") == stem("contains") == "contain"


def test_a_name_gives_the_stem_of_its_last_word_and_short_stems_none():
    assert split_name("Scalability") == ("", "scalabl")
    assert split_name("Horizontal Scaling") == ("horizontal ", "scale")
    assert split_name("bare-metal machine") == ("bare-metal ", "machin")
    assert split_name("Node.js runtime") == ("node.js ", "runtim") and split_name("C++ compiler") == ("c++ ", "compil")
    assert split_name("Bus") is None and split_name("Pod") is None  # under MIN_STEM letters
    assert split_name("llama.cpp") is None and split_name("Go (language)") is None  # not a word of letters


# --- the matcher -----------------------------------------------------------------------------

STEM_NAMES = ["Scalability", "Observability", "Containers", "token", "Tokenizers", "key-value cache", "Bare Metal Machine",
              "bare-metal machine", "GPU", "KV cache", "observer", "Replicas", "Replication", "Node.js runtime",
              "Node.js deployment", "C++ compiler"]  # fmt: skip
STEM_PIECES = ["scalable", "Scalable", "scaling", "observed", "observer", "Observers", "contains", "container", "tokenized",
               "token", "tokens", "key", "-", "value", "caching", "cache", "bare", "metal", "machines", "machining",
               "replicas", "replicated", " ", " ", ",", "'s", "’s", "GPU", "gpus", "kv", "x", "é", "1", "_", "\u00a0",
               "\n", "Σ", "scalablé", "node", "Node.js", ".", "js", "runtimes", "deployed", "c++", "C", "+", "compiling",
               "compiled"]  # fmt: skip


def _matcher(names: list[str]) -> TermMatcher:
    """Forms and stems as a build makes them (derived.stem_names; one StemName per stem: the first
    term claiming it)."""
    rules = rules_for("en")
    forms = [make_form(f, name.lower(), None, rule) for name in names for f, rule in rules.surface_forms(name)]
    found: dict[tuple[str, str], StemName] = {}
    for name in names:
        term = Term(name.lower(), name, "", "General", "basics", (), (), True, None, "", 1, f"terms/{name}.md")
        for head, stem_, rule in stem_names(term, ()):
            found.setdefault((head, stem_), StemName(head, stem_, name.lower(), rule))
    return TermMatcher(forms, found.values())


def _reference(text: str, matcher: TermMatcher) -> list[Match]:
    """The rule as docs/linking.md states it, every word stemmed: a whole word of letters whose
    stem is a name's, after the name's other words as written; a form wins at the same place."""
    lowered = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
    word = lambda c: c.isalnum() or c == "_"  # noqa: E731
    candidates = [(m.start, -m.end, 0, m.slug, m.form) for m in TermMatcher(matcher._forms).scan(text)[0]]
    starts = [i for i in range(len(text)) if word(text[i]) and (i == 0 or not word(text[i - 1]))]
    for rank, name in enumerate(matcher._stem_names, 1):
        for at in starts:
            end = at
            while end < len(text) and word(text[end]):
                end += 1
            begin = at - len(name.head)
            if begin < 0 or lowered[begin:at] != name.head or (begin and word(text[begin - 1])):
                continue
            if lowered[at:end].isalpha() and stem(lowered[at:end]) == name.stem:
                candidates.append((begin, -end, rank, name.slug, name.form))
    chosen, taken_until = [], -1
    for start, neg_end, _, slug, form in sorted(candidates):
        if start >= taken_until:
            chosen.append(Match(start, -neg_end, slug, form))
            taken_until = -neg_end
    return chosen


@settings(max_examples=500 if in_ci() else 100, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.lists(st.lists(st.sampled_from(STEM_PIECES), max_size=10).map("".join), min_size=1, max_size=4),
       st.lists(st.sampled_from(STEM_NAMES), unique=True))
@example(["the observer observed, contains containers"], ["observer", "Observability", "Containers"])
@example(["a key-value caching, bare metal machining"], ["key-value cache", "Bare Metal Machine"])
@example(["the Node.js deployed c++ compiling, node js deployed"], ["Node.js deployment", "C++ compiler"])
def test_words_of_a_stem_are_found_as_stemming_every_word_finds_them(texts, names):
    """The prefix automaton finds what stemming every word of the text finds; scanning many
    texts at once, one, or explained, all agree."""
    matcher = _matcher(names)
    expected = [_reference(text, matcher) for text in texts]
    assert [matcher.scan(text)[0] for text in texts] == expected
    assert matcher.scan_many(texts) == expected
    assert [matcher.scan(text, explain=True)[0] for text in texts] == expected


def test_the_words_before_the_last_match_as_written_punctuation_included():
    """A head with punctuation ('node.js ', 'c++ ') is framed as the matcher frames a name."""
    matcher = _matcher(["Node.js deployment", "C++ compiler", "KV cache"])
    text = "The Node.js deployed, c++ compiling; node js deployed, c+ compiling, xc++ compiling, KV caching."
    found = matcher.scan(text)[0]
    assert [text[m.start : m.end] for m in found] == ["Node.js deployed", "c++ compiling"]
    assert [matcher.how(text, m) for m in found] == ["derived: stem"] * 2
    assert not _matcher(["Node.js deployment"]).scan("node.js-deployed")[0]  # the head's space as written


def test_a_matcher_with_stems_survives_pickling():
    matcher = _matcher(STEM_NAMES)
    text = "A scalable cluster contains observed key-value caching."
    again = pickle.loads(pickle.dumps(matcher))
    assert again.scan(text) == matcher.scan(text) and len(matcher.scan(text)[0]) == 4
    assert again.how(text, again.scan(text)[0][0]) == "derived: stem"


# --- a site ----------------------------------------------------------------------------------

TERMS = dict([term("scalability", "Scalability"), term("observability", "Observability"), term("containers", "Containers"),
              term("api", "Application Programming Interface (API)")])  # fmt: skip
POST = article("post", "A scalable API: its logs are observed, and it contains containers.")


def test_stemming_is_off_by_default(tmp_path, capsys):
    links, _ = build_links(tmp_path, capsys, {**TERMS, **dict([POST])})
    assert links["post"] == [("api", "API"), ("containers", "containers")]


def test_with_stemming_words_of_a_terms_stem_link_and_explain_names_the_rule(tmp_path, capsys):
    links, messages = build_links(tmp_path, capsys, {**TERMS, **dict([POST])}, "stemming: true\n")
    assert links["post"] == [("scalability", "scalable"), ("api", "API"), ("observability", "observed"),
                             ("containers", "contains")]  # fmt: skip
    assert "warning" not in messages
    out = explain(capsys, tmp_path / "site", "post")
    assert "'scalable' -> scalability: linked (derived: stem)" in out
    assert "'observed' -> observability: linked (derived: stem)" in out  # the cost: it means 'seen'
    assert "'containers' -> containers: skipped: already linked earlier" in out


def test_derive_false_turns_a_terms_stems_off(tmp_path, capsys):
    files = {**TERMS, **dict([term("scalability", "Scalability", extra="derive: false\n"), POST])}
    links, _ = build_links(tmp_path, capsys, files, "stemming: true\n")
    assert ("scalability", "scalable") not in links["post"] and ("observability", "observed") in links["post"]


@pytest.mark.parametrize("language", ["de", "fr-FR"])
def test_pages_not_in_english_are_not_stemmed_and_the_option_is_a_warning(tmp_path, capsys, language):
    links, messages = build_links(tmp_path, capsys, {**TERMS, **dict([POST])}, f"stemming: true\nlanguage: {language}\n")
    assert links["post"] == [("api", "API"), ("containers", "containers")]
    assert (f"site.yaml:2: warning: 'stemming' links English words only, and this site's language is {language}: it "
            "does nothing. Remove 'stemming: true'") in messages  # fmt: skip


@pytest.mark.parametrize("yaml,warned", [
    ("languages:\n  de: Deutsch\n  fr: Français\nstemming: true\n", "site.yaml:4: warning: 'stemming' links English words"
     " only, and this site's languages are de, fr: it does nothing"),
    ("languages:\n  en: English\n  de: Deutsch\nstemming: true\n", ""),  # its English pages are stemmed
    ("stemming: true\nlanguage: en-GB\n", ""),
    ("stemming: false\nlanguage: de\n", ""),
])  # fmt: skip
def test_stemming_on_a_site_with_no_english_language_is_a_warning(tmp_path, yaml, warned):
    site = make_site(tmp_path / "site", {"site.yaml": yaml})
    diags = Diagnostics()
    load_config(site, diags)
    assert [f"{d.pos}: {d.level}: {d.message}" for d in diags.items if "stemming" in d.message] == ([warned] if warned else [])


def test_without_snowballstemmer_stemming_is_an_error_at_its_line_not_a_traceback(tmp_path, capsys, monkeypatch):
    monkeypatch.setitem(sys.modules, "snowballstemmer", None)  # `import snowballstemmer...` raises ImportError
    monkeypatch.setitem(sys.modules, "snowballstemmer.english_stemmer", None)
    site = make_site(tmp_path / "site", {**TERMS, **dict([POST]), "site.yaml": "search: false\nstemming: true\n"})
    for command in (["build", site, "--output", tmp_path / "out"], ["report", site], ["check", site]):
        code, _, err = run_cli(capsys, *command)
        assert code == 1 and "site.yaml:2: error: stemming is on, but snowballstemmer cannot be imported" in err, command
        assert "pip install snowballstemmer, or set 'stemming: false'" in err


def test_english_by_subtag_is_stemmed(tmp_path, capsys):
    links, _ = build_links(tmp_path, capsys, {**TERMS, **dict([POST])}, "stemming: true\nlanguage: en-GB\n")
    assert ("scalability", "scalable") in links["post"]


def test_a_stem_two_terms_share_is_a_warning_naming_both_files_and_links_neither(tmp_path, capsys):
    files = {**TERMS, **dict([term("observer", "Observer"), article("a", "It was observed by an observer."),
                              article("b", "It was observed.", tags=["ops"])])}  # fmt: skip
    links, messages = build_links(tmp_path, capsys, files, "stemming: true\n")
    assert ("terms/observer.md:2: warning: words of the stem 'observ' (stemming) link to this term and to term "
            "'observability' (terms/observability.md)") in messages  # fmt: skip
    assert links["a"] == [("observer", "observer")]  # its name, as written, still links
    out = explain(capsys, tmp_path / "site", "a")
    assert "'observed' -> observability: skipped: ambiguous: observability, observer (no disambiguate" in out
    # disambiguate chooses, as it does for a name two terms derive
    files["terms/observability.md"] = term("observability", "Observability", extra="disambiguate: {tags: [ops]}\n")[1]
    files["terms/observer.md"] = term("observer", "Observer", extra="disambiguate: {tags: [people]}\n")[1]
    shutil.rmtree(tmp_path / "site")
    links, messages = build_links(tmp_path, capsys, files, "stemming: true\n")
    assert "warning" not in messages and links["b"] == [("observability", "observed")]


@pytest.mark.parametrize("value,shown", [("maybe", "text"), ("1", "a number"), ("[true]", "a list")])
def test_a_stemming_option_of_another_type_is_an_error_at_its_line(tmp_path, capsys, value, shown):
    site = make_site(tmp_path / "site", {"site.yaml": f"title: T\nstemming: {value}\n"})
    code, _, err = run_cli(capsys, "build", site, "--output", tmp_path / "out")
    assert code == 1 and f"site.yaml:2: error: 'stemming' must be true or false, not {shown}" in err


def test_the_stemmer_is_in_the_key_of_linked_bodies_only_when_stemming_is_on(tmp_path):
    site = make_site(tmp_path / "site", {**TERMS, "site.yaml": "search: false\n"})
    keys = {}
    for text in ("", "stemming: false\n", "stemming: true\n", "stemming: true\nlanguage: de\n", "language: de\n"):
        (site / "site.yaml").write_text("search: false\n" + text)
        diags = Diagnostics()
        config = load_config(site, diags)
        keys[text] = forms_key(read_site(config, diags)[1], config)
    assert keys[""] == keys["stemming: false\n"] != keys["stemming: true\n"]  # off: the key it always was
    assert keys["stemming: true\nlanguage: de\n"] == keys["language: de\n"]  # not English: nothing stemmed


# --- every route equals a clean build, with stemming turned on and off ---------------------------

STEM_BASE = {**BASE, "site.yaml": "search: false\nstemming: true\n",
             "terms/tokenizers.md": "---\ntitle: Tokenizers\nsummary: Cut text into tokens.\ncategory: General\n"
                                    "depth: basics\n---\nA tokenized text.\n",
             "terms/caches.md": "---\ntitle: Caches\nsummary: Kept for later.\ncategory: General\n"
                                "depth: basics\n---\nWhat was cached.\n",
             "content/d.md": "---\ntitle: Delta\ndate: 2026-01-04\n---\nThe cached embeddings, embedded and tokenized.\n"}  # fmt: skip
"""BASE (test_incremental) with stems to find: 'cached' (Caches), 'embedded' (embedding, once an
edit adds the term), 'tokenized' (token and Tokenizers share the stem: ambiguous)."""
stem_operation = st.one_of(operation, st.tuples(st.just("stemming"), st.sampled_from(["true", "false"]), st.just("")),
                           st.tuples(st.just("edit-body"), st.sampled_from("abd"),
                                     st.sampled_from(["Observed caching of tokenized GPUs.", "An embedded cache.",
                                                      "Tokens cached."])))  # fmt: skip


def apply_stemming(site, op) -> list[str]:
    """An operation of test_incremental, or 'stemming' (site.yaml turns it on or off); the
    'policy' operation keeps the stemming the site had."""
    yaml = site / "site.yaml"
    if op[0] == "stemming":
        yaml.write_text("\n".join(line for line in yaml.read_text().splitlines() if not line.startswith("stemming"))
                        + f"\nstemming: {op[1]}\n")  # fmt: skip
        return ["site.yaml"]
    stemming = [line for line in yaml.read_text().splitlines() if line.startswith("stemming")]
    touched = apply(site, op)
    if op[0] == "policy":
        yaml.write_text(yaml.read_text() + "".join(line + "\n" for line in stemming))
    return touched


@settings(max_examples=40 if in_ci() else 12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(stem_operation, min_size=1, max_size=6))
def test_incremental_and_dev_server_builds_with_stemming_equal_clean_builds(tmp_path_factory, ops):
    root = tmp_path_factory.mktemp("stems")
    assert_routes_equal_clean(root, make_site(root / "site", STEM_BASE), ops, apply_stemming)


@settings(max_examples=12 if in_ci() else 6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(stem_operation, min_size=1, max_size=5))
def test_build_after_edits_with_stemming_equals_a_clean_build(tmp_path_factory, capsys, ops):
    root = tmp_path_factory.mktemp("stem-edits")
    site = make_site(root / "site", STEM_BASE)
    age(site)
    assert cli_build(capsys, site)[0] == 0
    for step, op in enumerate(ops):
        age(site, [site / rel for rel in apply_stemming(site, op)])
        if cli_build(capsys, site)[0] == 0:
            assert_equals_clean(site, ops[: step + 1])


def test_turning_stemming_on_and_off_relinks_the_pages_of_a_warm_cache(tmp_path):
    site = make_site(tmp_path / "site", {**STEM_BASE, "site.yaml": "search: false\n"})
    cache = BuildCache()
    page = tmp_path / "out/articles/d/index.html"
    for stemming in (False, True, False):
        (site / "site.yaml").write_text(f"search: false\nstemming: {str(stemming).lower()}\n")
        assert build(site, tmp_path / "out", cache)
        assert ('term-tip-caches">cached</a>' in page.read_text()) == stemming


def test_random_words_are_stemmed_as_snowball_stems_them(monkeypatch):
    """The cache gives what the stemmer gives (a word seen twice, and after the cache is cleared:
    here at 50 words, so 200 words clear it)."""
    rng = random.Random(20)
    words = ["".join(rng.choice("abcdefghilmnorstuy") for _ in range(rng.randint(3, 12))) for _ in range(200)]
    from snowballstemmer.english_stemmer import EnglishStemmer

    direct = EnglishStemmer()
    monkeypatch.setattr(stems, "CACHED_WORDS", 50)
    monkeypatch.setattr(stems, "_cache", {})
    first = [stem(w) for w in words]
    assert len(stems._cache) <= 51 and words[0] not in stems._cache  # cleared on the way
    assert first == [stem(w) for w in words] == [direct.stemWord(w) for w in words]
