"""Issue 20's linker: derived names (with `derive: false`), ambiguity (`disambiguate`), salience
(`link_common_terms: false`, `max_links_per_paragraph`), what `explain` says of each, and every
build route (incremental, dev server, `build`'s edit path) equal to a clean build with them on."""

import re

import pytest
from conftest import in_ci, make_site, run_cli
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_edit_path import age, assert_equals_clean, cli_build
from test_incremental import BASE, apply, assert_routes_equal_clean, build, operation

from glossary_site.build.cache import BuildCache
from glossary_site.build.fast_paths import apply_edits
from glossary_site.content.documents import Term
from glossary_site.linking.derived import derived_names, looks_like_abbreviation
from glossary_site.linking.languages import rules_for

LINK = re.compile(r'<a href="[^"]*" class="term-link" data-term="([^"]+)"[^>]*>(.*?)</a>')


def term(slug: str, title: str, category: str = "General", extra: str = "") -> tuple[str, str]:
    return f"terms/{slug}.md", f"---\ntitle: {title!r}\nsummary: S.\ncategory: {category}\ndepth: basics\n{extra}---\nBody.\n"


def article(name: str, body: str, title: str = "", tags=()) -> tuple[str, str]:
    tag_line = f"tags: [{', '.join(tags)}]\n" if tags else ""
    return f"content/{name}.md", f"---\ntitle: {title or name.title()}\ndate: 2026-01-05\n{tag_line}---\n{body}\n"


def build_links(tmp_path, capsys, files: dict, site_yaml: str = "") -> tuple[dict[str, list[tuple[str, str]]], str]:
    """Builds a site; (article name -> its (slug, text) links, the build's messages)."""
    site = make_site(tmp_path / "site", {"site.yaml": "search: false\n" + site_yaml, **files})
    code, out, err = run_cli(capsys, "build", site, "--output", tmp_path / "out")
    assert code == 0, err
    found = {}
    for page in (tmp_path / "out/articles").glob("*/index.html"):
        html = page.read_text(encoding="utf-8")
        found[page.parent.name] = LINK.findall(html[html.index("<main"):html.index('class="terms-in-article') if
                                                    'class="terms-in-article' in html else html.index("</main>")])
    return found, out + err


def explain(capsys, site, name: str) -> str:
    code, out, err = run_cli(capsys, "explain", site / f"content/{name}.md", "--site", site)
    assert code == 0, err
    return out


# --- derived names --------------------------------------------------------------------------


def _term(title: str, aliases=(), case=None) -> Term:
    return Term("x", title, "S.", "General", "basics", tuple(aliases), (), True, case, "", 1, "terms/x.md")


@pytest.mark.parametrize("title,expected", [
    ("Application Programming Interface (API)", {"Application Programming Interface": "derived: long name",
                                                 "API": "derived: abbreviation"}),
    ("API (Application Programming Interface)", {"API": "derived: abbreviation",
                                                 "Application Programming Interface": "derived: long name"}),
    ("Pod (Kubernetes)", {"Pod": "derived: without qualifier"}),
    ("Containers", {"Container": "en: singular"}),
    ("Bare Metal", {"bare-metal": "derived: hyphenated", "baremetal": "derived: joined"}),
    ("bare-metal", {"bare metal": "derived: spaced", "baremetal": "derived: joined"}),
    ("KV cache", {"KV-cache": "derived: hyphenated"}),  # an acronym keeps its casing, and is never run together
    ("Moore's law", {"Moore’s law": "derived: apostrophe"}),
    ("ﬁle system", {"file system": "derived: NFKC"}),
    ("top-p", {}),  # a one-letter word: 'top p' and 'topp' are not names
    ("GPUs", {}),  # an acronym's plural is not made singular by the title rule (GPU is its own term)
    ("Status", {}), ("Analysis", {}), ("Physics", {}),  # not plurals
])  # fmt: skip
def test_each_rule_derives_its_names(title, expected):
    derived = dict(derived_names(_term(title), rules_for("en")))
    for name, rule in expected.items():
        assert derived.get(name) == rule, (title, derived)
    if not expected:
        assert not {n for n, r in derived.items() if "derived: hyphenated" != r and "NFKC" not in r}, derived


def test_derivations_chain_and_say_every_step():
    derived = dict(derived_names(_term("Bare Metal Machines (BMM)"), rules_for("en")))
    assert derived["Bare Metal Machine"] == "derived: long name, en: singular"
    assert derived["bare-metal-machines"] == "derived: long name, derived: hyphenated"
    assert derived["BMM"] == "derived: abbreviation"


def test_only_english_makes_singulars_and_case_sensitive_terms_keep_their_casing():
    assert "Container" not in dict(derived_names(_term("Containers"), rules_for("de")))
    assert "Bare-Metal" in dict(derived_names(_term("Bare Metal", case=True), rules_for("en")))


def test_what_looks_like_an_abbreviation():
    assert all(map(looks_like_abbreviation, ["API", "IaC", "gRPC", "CI/CD", "K8s", "LLMs"]))
    assert not any(map(looks_like_abbreviation, ["Kubernetes", "networking", "a b", "X", "LongerThanTwelveCAPS"]))


def test_derived_names_link_and_explain_names_the_rule(tmp_path, capsys):
    files = dict([term("api", "Application Programming Interface (API)"), term("containers", "Containers"),
                  term("bare-metal", "Bare Metal Machine"), term("moore", "Moore's law"),
                  article("post", "An API call from a container on a bare-metal machine, by Moore’s law; "
                                  "APIs, containers' logs."),
                  article("again", "The application programming interface, and a bare metal machine.")])  # fmt: skip
    links, _ = build_links(tmp_path, capsys, files)
    assert links["post"] == [("api", "API"), ("containers", "container"), ("bare-metal", "bare-metal machine"),
                             ("moore", "Moore’s law")]  # fmt: skip
    assert links["again"] == [("api", "application programming interface"), ("bare-metal", "bare metal machine")]
    out = explain(capsys, tmp_path / "site", "post")
    assert "'API' -> api: linked (derived: abbreviation)" in out
    assert "'container' -> containers: linked (en: singular)" in out
    assert "'bare-metal machine' -> bare-metal: linked (derived: hyphenated)" in out
    assert "'Moore’s law' -> moore: linked (derived: apostrophe)" in out
    assert "'APIs' -> api: skipped: already linked earlier" in out


def test_derive_false_turns_a_terms_derived_names_off(tmp_path, capsys):
    files = dict([term("api", "Application Programming Interface (API)", extra="derive: false\n"),
                  term("containers", "Containers"), article("post", "An API in a container.")])  # fmt: skip
    links, _ = build_links(tmp_path, capsys, files)
    assert links["post"] == [("containers", "container")]


def test_a_derived_name_never_steals_another_terms_name(tmp_path, capsys):
    """'API' of 'Application Programming Interface (API)' is the title of another term: that one
    wins, no warning (nothing is ambiguous), and explain says the derived name was left out."""
    files = dict([term("application-programming-interface", "Application Programming Interface (API)"),
                  term("api", "API"), article("post", "Call the API.")])  # fmt: skip
    links, messages = build_links(tmp_path, capsys, files)
    assert links["post"] == [("api", "API")] and "warning" not in messages
    out = explain(capsys, tmp_path / "site", "post")
    assert "'API' (derived: abbreviation) of application-programming-interface: left out, it is the title of term 'api'" in out


def test_a_bad_disambiguate_is_an_error_at_its_line(tmp_path, capsys):
    site = make_site(tmp_path / "site", dict([term("pod", "Pod (Kubernetes)", extra="disambiguate: [k8s]\n")]))
    code, _, err = run_cli(capsys, "build", site, "--output", tmp_path / "out")
    assert code == 1 and "terms/pod.md:6: error: 'disambiguate' must be a mapping" in err


# --- ambiguity ---------------------------------------------------------------------------------

POD_TERMS = dict([term("pod", "Pod (Kubernetes)", "Orchestration", "disambiguate: {category: orchestration, tags: [k8s]}\n"),
                  term("podcast-pod", "Pod (Podcast)", "Media", "disambiguate: {tags: [audio]}\n")])  # fmt: skip


def test_the_articles_tags_choose_between_terms_that_derive_one_name(tmp_path, capsys):
    files = {**POD_TERMS, **dict([article("cluster", "A pod restarts; pods scale.", tags=["k8s"]),
                                  article("show", "A pod of listeners.", tags=["Audio"]),
                                  article("plain", "A pod, whatever it is."),
                                  article("both", "A pod.", tags=["k8s", "audio"])])}  # fmt: skip
    links, messages = build_links(tmp_path, capsys, files)
    assert "warning" not in messages  # both declared how articles choose
    assert links["cluster"] == [("pod", "pod")] and links["show"] == [("podcast-pod", "pod")]
    assert links["plain"] == [] and links["both"] == []
    out = explain(capsys, tmp_path / "site", "plain")
    assert "'pod' -> pod: skipped: ambiguous: pod, podcast-pod (no disambiguate of theirs matches" in out
    assert "chosen by k8s" in explain(capsys, tmp_path / "site", "cluster")
    assert "the page's tags choose more than one" in explain(capsys, tmp_path / "site", "both")


def test_an_articles_categories_choose_too(tmp_path, capsys):
    files = {**POD_TERMS, "content/c.md": "---\ntitle: C\ncategories: [Orchestration]\n---\nA pod.\n"}
    links, _ = build_links(tmp_path, capsys, files)
    assert links["c"] == [("pod", "pod")]


def test_two_terms_deriving_one_name_without_disambiguate_is_a_warning_naming_both_files(tmp_path, capsys):
    files = dict([term("api", "Application Programming Interface (API)"), term("apix", "Advanced Persistence Index (API)"),
                  article("post", "The API.")])  # fmt: skip
    links, messages = build_links(tmp_path, capsys, files)
    assert links["post"] == []
    assert ("terms/apix.md:2: warning: 'API' is derived from the names of this term and of term 'api' (terms/api.md)"
            in messages)  # fmt: skip


# --- salience ----------------------------------------------------------------------------------

SALIENCE = "link_common_terms: false\ncommon_share: 0.5\nsalient_mentions: 3\n"
COMMON = dict([term("function", "function"), term("closure", "closure"),
               article("a", "A function and a closure."), article("b", "Call a function."),
               article("c", "A function, a function, and a third function."),
               article("d", "## The function\n\nA function."), article("functions", "One function.", title="Functions"),
               article("e", "Nothing here.")])  # fmt: skip


def test_common_terms_link_only_where_the_article_is_about_them(tmp_path, capsys):
    links, _ = build_links(tmp_path, capsys, COMMON, SALIENCE)
    # 'function' is on 5 of 6 articles (over half): linked in c (three mentions), d (a heading)
    # and functions (its title); 'closure' (one article) links as always.
    assert links["a"] == [("closure", "closure")] and links["b"] == []
    assert links["c"] == [("function", "function")] and links["d"] == [("function", "function")]
    assert links["functions"] == [("function", "function")]
    out = explain(capsys, tmp_path / "site", "b")
    assert ("'function' -> function: skipped: common term (mentioned on 83% of articles), and this page is not about it"
            " (fewer than 3 mentions, none in a heading or the title)") in out  # fmt: skip


def test_salience_is_off_by_default(tmp_path, capsys):
    links, _ = build_links(tmp_path, capsys, COMMON)
    assert links["b"] == [("function", "function")]


def test_a_paragraph_links_at_most_max_links_per_paragraph(tmp_path, capsys):
    files = dict([term("gpu", "GPU"), term("cpu", "CPU"), term("ram", "RAM"),
                  article("p", "A GPU, a CPU and RAM.\n\nThe RAM again, and [[gpu]].")])  # fmt: skip
    links, _ = build_links(tmp_path, capsys, files, "max_links_per_paragraph: 2\n")
    assert links["p"] == [("gpu", "GPU"), ("cpu", "CPU"), ("ram", "RAM"), ("gpu", "GPU")]
    assert "'RAM' -> ram: skipped: this paragraph has 2 links already" in explain(capsys, tmp_path / "site", "p")


@pytest.mark.parametrize("text,message", [("common_share: 2\n", "'common_share' must be a share"),
                                          ("salient_mentions: -1\n", "'salient_mentions' must be a whole number"),
                                          ("link_common_terms: maybe\n", "'link_common_terms' must be true or false")])
def test_bad_salience_options_are_errors(tmp_path, capsys, text, message):
    site = make_site(tmp_path / "site", {"site.yaml": text})
    code, _, err = run_cli(capsys, "build", site, "--output", tmp_path / "out")
    assert code == 1 and f"site.yaml:1: error: {message}" in err


# --- every route equals a clean build, with salience and a cap on --------------------------------

# 'GPU' and 'token' are on most articles of BASE: with a share of 0.3 they are common, and edits
# move them in and out of the common set, and articles in and out of being about them.
SALIENT_BASE = {**BASE, "site.yaml": "search: false\n" + "link_common_terms: false\ncommon_share: 0.3\n"
                "salient_mentions: 2\nmax_links_per_paragraph: 2\n"}  # fmt: skip


def apply_keeping_salience(site, op) -> list[str]:
    touched = apply(site, op)
    if op[0] == "policy":  # the op rewrites site.yaml: keep the salience options on
        (site / "site.yaml").write_text((site / "site.yaml").read_text() + SALIENT_BASE["site.yaml"].split("\n", 1)[1])
    return touched


@settings(max_examples=40 if in_ci() else 15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(operation, min_size=1, max_size=6))
def test_incremental_and_dev_server_builds_with_salience_equal_clean_builds(tmp_path_factory, ops):
    root = tmp_path_factory.mktemp("salient")
    assert_routes_equal_clean(root, make_site(root / "site", SALIENT_BASE), ops, apply_keeping_salience)


@settings(max_examples=15 if in_ci() else 8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(operation, min_size=1, max_size=5))
def test_build_after_edits_with_salience_equals_a_clean_build(tmp_path_factory, capsys, ops):
    root = tmp_path_factory.mktemp("salient-edits")
    site = make_site(root / "site", SALIENT_BASE)
    age(site)
    assert cli_build(capsys, site)[0] == 0
    for step, op in enumerate(ops):
        age(site, [site / rel for rel in apply_keeping_salience(site, op)])
        if cli_build(capsys, site)[0] == 0:
            assert_equals_clean(site, ops[: step + 1])


def test_an_edit_that_keeps_the_terms_an_article_mentions_takes_the_fast_path(tmp_path):
    site = make_site(tmp_path / "site", SALIENT_BASE)
    cache = BuildCache()
    assert build(site, tmp_path / "out", cache, keep_bodies=True)
    apply(site, ("edit-body", "a", "The GPU holds a KV cache, the GPU says."))  # same terms, now about the GPU
    assert apply_edits(cache.live, cache, ["content/a.md"]) is not None
    apply(site, ("edit-body", "a", "Now a token too."))  # another term: the common set may move
    assert apply_edits(cache.live, cache, ["content/a.md"]) is None


def test_a_bare_name_and_english_singulars_do_not_link_common_words(tmp_path, capsys):
    """From a review on real names: the qualifier of 'Go (programming language)' is there because
    'go' is a common word; 'Windows' is no plural of 'window'; 'Cookies' is 'cookie', not 'cooky'."""
    files = dict([term("go", "Go (programming language)"), term("windows", "Windows"), term("cookies", "Cookies"),
                  term("data-sets", "Data Sets"),
                  article("a", "Let us go. Go compiles fast. A window opened. One cookie. A data set.")])  # fmt: skip
    links, _ = build_links(tmp_path, capsys, files)
    assert links["a"] == [("go", "Go"), ("cookies", "cookie"), ("data-sets", "data set")]
