"""Linking by script and by language (issue 19): in text written without spaces between words
(Han, Kana, Thai...) a term matches by characters; Latin names inside it keep their own
boundaries; each site language has its own surface forms (English plurals for `en`, the name
only for `ja`), and other languages' rules plug in (`linking/languages.py`, docs/languages.md)."""

import json
import re
import sys
import textwrap

import pytest
from conftest import make_site, run_cli

from glossary_site.linking import languages
from glossary_site.linking.languages import LanguageRules, register_rules, rules_for, unregister_rules
from glossary_site.linking.matcher import TermMatcher, make_form, spaceless_script

TERM = "---\ntitle: {title}\nsummary: A term.\ncategory: General\ndepth: basics\n---\nBody.\n"
LINK = re.compile(r'<a href="[^"]*" class="term-link" data-term="([^"]+)"[^>]*>(.*?)</a>')

JA_TERMS = {"cache": "キャッシュ", "kv-cache": "KVキャッシュ", "os": "OS", "gpu": "GPU", "tokyo": "東京",
            "tokyo-to": "東京都", "database": "データベース", "memory": "หน่วยความจำ", "thi": "ที"}  # fmt: skip


def build(tmp_path, capsys, articles: dict[str, str], language: str = "ja", terms=JA_TERMS) -> dict[str, str]:
    """Builds a small site; returns each article's body (the HTML between <main> and </main>)."""
    files = {"site.yaml": f"language: {language}\ntitle: Glossary\n"}
    files.update({f"terms/{slug}.md": TERM.format(title=json.dumps(title)) for slug, title in terms.items()})
    files.update({f"content/{name}.md": f"---\ntitle: Post {name}\ndate: 2026-01-05\n---\n{body}\n"
                  for name, body in articles.items()})  # fmt: skip
    site = make_site(tmp_path / "site", files)
    code, _, err = run_cli(capsys, "build", site, "--output", tmp_path / "out")
    assert code == 0, err
    pages = {name: (tmp_path / "out" / "articles" / name / "index.html").read_text(encoding="utf-8") for name in articles}
    return {name: page[page.index("<main"):page.index("</main>")] for name, page in pages.items()}


def links(html: str) -> list[tuple[str, str]]:
    """(slug, linked text) of every term link, in order."""
    return LINK.findall(html)


ARTICLES = {
    "mid": "今日はキャッシュを使う。またキャッシュを見る。",
    "longest": "このKVキャッシュを使うと速い。",
    "latin": "OSを操作する。",
    "inside-latin": "macOSを使う。",
    "han": "東京都に住む。東京に行く。",
    "long-vowel": "このデータベースは大きい。",
    "code": "`キャッシュ`のコード。\n\n```\nキャッシュを使う\n```\n\n    キャッシュのブロック\n",
    "link": "[キャッシュのページ](https://example.org/)と[[gpu|ジーピーユー]]。",
    "heading": "## キャッシュの話\n\n本文。\n",
    "thai": "ข้อมูลอยู่ในหน่วยความจำของเครื่อง",
    "thai-mark": "ที่นี่",
}


@pytest.fixture(scope="module")
def ja_site(tmp_path_factory):
    """One build for the cases below (capsys is per test: this build prints to the test's output)."""
    return build(tmp_path_factory.mktemp("ja"), _Uncaptured(), ARTICLES)


class _Uncaptured:
    def readouterr(self):
        return "", ""


def test_a_japanese_term_mid_sentence_links_by_characters_once(ja_site):
    assert links(ja_site["mid"]) == [("cache", "キャッシュ")]  # the second mention stays plain (first per article)
    assert "またキャッシュを見る" in ja_site["mid"]


def test_the_longest_of_overlapping_terms_wins(ja_site):
    assert links(ja_site["longest"]) == [("kv-cache", "KVキャッシュ")]
    assert links(ja_site["han"]) == [("tokyo-to", "東京都"), ("tokyo", "東京")]


def test_a_latin_term_inside_japanese_text_links_at_its_own_boundaries(ja_site):
    assert links(ja_site["latin"]) == [("os", "OS")]
    assert links(ja_site["inside-latin"]) == []  # 'c' and 'O' are both Latin: OS is inside macOS


def test_the_prolonged_sound_mark_is_part_of_a_katakana_term(ja_site):
    assert links(ja_site["long-vowel"]) == [("database", "データベース")]


def test_no_link_inside_code_links_or_headings(ja_site):
    assert links(ja_site["code"]) == []
    assert links(ja_site["heading"]) == []
    # The Markdown link keeps its text; the explicit reference is a link of its own, nothing nested.
    assert links(ja_site["link"]) == [("gpu", "ジーピーユー")]
    assert '<a href="https://example.org/">キャッシュのページ</a>' in ja_site["link"]


def test_thai_links_by_characters_and_never_cuts_a_letter_from_its_marks(ja_site):
    assert links(ja_site["thai"]) == [("memory", "หน่วยความจำ")]
    assert links(ja_site["thai-mark"]) == []  # 'ที' is in 'ที่', whose tone mark would be left behind


def test_english_rules_are_per_language(tmp_path, capsys):
    """`en` links the plural of a Latin name, also inside Japanese text; `ja` (no inflection in
    writing) links the name only. Both link the name at a script boundary."""
    text = {"a": "二つのGPUsを使う。", "b": "Two GPUs here.", "c": "GPUを使う。"}
    en = build(tmp_path / "en", capsys, text, language="en-GB", terms={"gpu": "GPU"})
    ja = build(tmp_path / "ja", capsys, text, language="ja", terms={"gpu": "GPU"})
    assert [links(en[k]) for k in "abc"] == [[("gpu", "GPUs")], [("gpu", "GPUs")], [("gpu", "GPU")]]
    assert [links(ja[k]) for k in "abc"] == [[], [], [("gpu", "GPU")]]


def german(name: str):
    """A toy of what a German package would give: plural -e and genitive -s."""
    return [(name + "e", "de: plural"), (name + "s", "de: genitive")]


def test_registered_rules_change_what_links_and_explain_names_them(tmp_path, capsys):
    text = {"post": "Die Modelle und des Modells Gewichte; ein Modell."}
    before = build(tmp_path / "before", capsys, text, language="de", terms={"modell": "Modell"})
    assert links(before["post"]) == [("modell", "Modell")]  # no German rules: the name only
    register_rules("de", LanguageRules("de", german, version="1"))
    try:
        assert rules_for("de-AT").name == "de"
        after = build(tmp_path / "after", capsys, text, language="de-AT", terms={"modell": "Modell"})
        assert links(after["post"]) == [("modell", "Modelle")]
        code, out, err = run_cli(capsys, "explain", tmp_path / "after/site/content/post.md",
                                 "--site", tmp_path / "after/site")  # fmt: skip
        assert code == 0, err
        assert "content/post.md:5: 'Modelle' -> modell: linked (de: plural)" in out.splitlines()
        assert "content/post.md:5: 'Modells' -> modell: skipped: already linked earlier" in out.splitlines()
    finally:
        unregister_rules("de")
    assert rules_for("de").forms is languages.name_only


def test_explain_names_the_rule_of_each_link(tmp_path, capsys):
    files = {"site.yaml": "language: ja\n", **{f"terms/{s}.md": TERM.format(title=json.dumps(t)) for s, t in
                                              {"cache": "キャッシュ", "os": "OS", "gpu": "GPU"}.items()},
             "content/post.md": "---\ntitle: P\n---\nこのキャッシュを使う。\n\nOSを操作する。macOSとGPUsも。\n\nThe GPU.\n"}  # fmt: skip
    site = make_site(tmp_path / "site", files)
    code, out, err = run_cli(capsys, "explain", site / "content/post.md", "--site", site)
    assert code == 0, err
    lines = out.splitlines()
    for line in ["content/post.md:4: 'キャッシュ' -> cache: linked (by characters: Hiragana)",
                 "content/post.md:6: 'OS' -> os: linked (by characters: Hiragana)",
                 "content/post.md:6: 'OS' -> os: skipped: inside a word",
                 "content/post.md:6: 'GPU' -> gpu: skipped: inside a word",
                 "content/post.md:8: 'GPU' -> gpu: linked"]:  # fmt: skip
        assert line in lines, (line, out)


def test_korean_links_a_name_with_its_particle(tmp_path, capsys):
    """Korean spaces words apart but writes particles onto the noun: `GPU를`, `캐시가`, `서버에서`
    link their term (`ko: particle`); a longer word that only starts with the name does not."""
    terms = {"gpu": "GPU", "cache": "캐시", "server": "서버"}
    text = {"a": "GPU를 쓰면 캐시가 찬다.", "b": "서버에서 돌린다.", "c": "캐시메모리는 아니다.", "d": "GPU 하나."}
    ko = build(tmp_path, capsys, text, language="ko", terms=terms)
    assert links(ko["a"]) == [("gpu", "GPU를"), ("cache", "캐시가")]
    assert links(ko["b"]) == [("server", "서버에서")] and links(ko["c"]) == [] and links(ko["d"]) == [("gpu", "GPU")]
    code, out, err = run_cli(capsys, "explain", tmp_path / "site/content/a.md", "--site", tmp_path / "site")
    assert code == 0, err
    assert "content/a.md:5: 'GPU를' -> gpu: linked (ko: particle)" in out.splitlines(), out


def test_korean_rules_give_every_common_particle():
    forms = dict(rules_for("ko").surface_forms("캐시"))
    particles = ["이", "가", "을", "를", "은", "는", "의", "에", "에서", "로", "으로", "와", "과", "도", "만", "부터", "까지"]
    assert forms == {"캐시": "", **{"캐시" + p: "ko: particle" for p in particles}}


def test_explain_names_english_inflections(tmp_path, capsys):
    files = {"terms/gpu.md": TERM.format(title="GPU"), "content/post.md": "---\ntitle: P\n---\nTwo GPUs.\n"}
    site = make_site(tmp_path / "site", files)
    code, out, err = run_cli(capsys, "explain", site / "content/post.md", "--site", site)
    assert code == 0, err
    assert "content/post.md:4: 'GPUs' -> gpu: linked (en: plural)" in out.splitlines(), out


# --- the matcher and the rules, without a site ----------------------------------------


def matcher(names: dict[str, str], language: str = "ja") -> TermMatcher:
    rules = rules_for(language)
    return TermMatcher(make_form(form, slug, None, rule) for slug, name in names.items()
                       for form, rule in rules.surface_forms(name))  # fmt: skip


def found(m: TermMatcher, text: str) -> list[str]:
    fast = m.scan_many([text])[0]
    assert fast == m.scan(text, explain=True)[0]
    return [text[x.start : x.end] for x in fast]


def test_scripts_without_spaces_are_recognised_by_code_point():
    assert [spaceless_script(c) for c in "漢ひカーｶ々〆ไລកမཀ"] == [
        "Han", "Hiragana", "Katakana", "Katakana", "Katakana", "Han", "Han", "Thai", "Lao", "Khmer", "Myanmar",
        "Tibetan"]  # fmt: skip
    assert [spaceless_script(c) for c in "aZ1é한Ω"] == [""] * 6  # Hangul is written with spaces
    assert spaceless_script("\U00020000") == "Han" and spaceless_script("\uf900") == "Han"  # ext. B, compatibility


def test_matching_by_characters():
    m = matcher({"cache": "キャッシュ", "kv": "KVキャッシュ", "os": "OS", "ai": "AI", "half": "ｷｬｯｼｭ"})
    assert found(m, "KVキャッシュを使う") == ["KVキャッシュ"]
    assert found(m, "キャッシュとKV") == ["キャッシュ"]
    assert found(m, "OSを操作する") == ["OS"]
    assert found(m, "macOSを、OSXを") == []  # Latin on both sides of each end
    assert found(m, "AIとOS") == ["AI", "OS"]
    assert found(m, "半角ｷｬｯｼｭです") == ["ｷｬｯｼｭ"]
    assert found(m, "Use the OS, not AIs.") == ["OS"]  # Latin text: whole words, as ever


def test_texts_with_and_without_spaceless_characters_scanned_together_agree():
    m = matcher({"cache": "キャッシュ", "os": "OS", "gpu": "GPU"}, language="en")
    texts = ["OSを", "the GPUs", "", "macOS", "GPUsのキャッシュ", "naïve OS’s"]
    assert m.scan_many(texts) == [m.scan(t)[0] for t in texts] == [m.scan(t, explain=True)[0] for t in texts]
    assert [[t[x.start : x.end] for x in ms] for t, ms in zip(texts, m.scan_many(texts))] == [
        ["OS"], ["GPUs"], [], [], ["GPUs", "キャッシュ"], ["OS’s"]]  # fmt: skip


def test_how_a_match_was_made():
    m = matcher({"gpu": "GPU", "cache": "キャッシュ"}, language="en")
    for text, expected in [("GPUs", "en: plural"), ("GPU", ""), ("GPUsを", "en: plural; by characters: Hiragana"),
                           ("KVキャッシュ", "by characters: Katakana"), ("「キャッシュ」", "")]:  # fmt: skip
        (match,) = m.scan(text)[0]
        assert m.how(text, match) == expected, text


def test_rules_are_chosen_by_the_primary_subtag():
    assert rules_for("en-GB") is rules_for("en") is languages.ENGLISH
    assert rules_for("zh-Hant").name == "zh" and rules_for("ZH_hans").name == "zh"
    assert rules_for("ja").surface_forms("キャッシュ") == [("キャッシュ", "")]
    assert rules_for("xx").surface_forms("Wort") == [("Wort", "")]  # no rules: the name only
    assert rules_for("").name == "en"
    assert [f for f, _ in rules_for("en").surface_forms("query")] == ["query", "queries", "query's", "query’s",
                                                                     "queries'", "queries’"]  # fmt: skip


def test_a_rules_function_that_fails_leaves_names_as_written(recwarn):
    def broken(name):
        raise ValueError("no")

    rules = LanguageRules("zz-test", broken)
    assert rules.surface_forms("Wort") == [("Wort", "")]
    assert rules.surface_forms("Ding") == [("Ding", "")]
    assert len([w for w in recwarn if "zz-test" in str(w.message)]) == 1  # said once


@pytest.fixture
def plugin_path(tmp_path, monkeypatch):
    """An installed package with an entry point in `glossary_site.language_rules` (a
    dist-info folder on sys.path is what pip leaves), and a broken one beside it."""
    (tmp_path / "toy_german_rules.py").write_text(textwrap.dedent('''
        from glossary_site.linking.languages import LanguageRules

        def forms(name):
            return [(name + "e", "de: plural")]

        RULES = LanguageRules("de", forms, version="2")
    '''))  # fmt: skip
    for dist, entries in [("toy_german_rules-1.4", "de = toy_german_rules:RULES\n"),
                          ("toy_broken_rules-0.1", "nl = toy_missing_module:RULES\nfr = toy_german_rules:nothing\n")]:
        info = tmp_path / f"{dist}.dist-info"
        info.mkdir()
        name, version = dist.split("-")
        (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n")
        (info / "entry_points.txt").write_text(f"[glossary_site.language_rules]\n{entries}")
    monkeypatch.syspath_prepend(str(tmp_path))
    languages.reload_entry_points()
    yield tmp_path
    sys.modules.pop("toy_german_rules", None)
    languages.reload_entry_points()


def test_entry_point_rules_load_and_broken_ones_are_left_out(plugin_path, tmp_path, capsys):
    with pytest.warns(RuntimeWarning, match="left out"):
        rules = rules_for("de-CH")
    assert rules.surface_forms("Modell") == [("Modell", ""), ("Modelle", "de: plural")]
    assert rules.key == "de:2+1.4"  # the package's version is part of the cache key of bodies
    problems = languages.entry_point_problems()
    assert len(problems) == 2 and any("'nl'" in p and "ModuleNotFoundError" in p for p in problems)
    assert any("'fr'" in p for p in problems)
    assert rules_for("nl").forms is languages.name_only
    # A build of a site in a language whose package is broken goes on, names as written.
    built = build(tmp_path / "nl", capsys, {"post": "Twee modellen, een model."}, language="nl",
                  terms={"model": "model"})  # fmt: skip
    assert links(built["post"]) == [("model", "model")]


def test_a_pickled_matcher_finds_names_by_characters_as_the_original():
    """`build`'s edit path loads the matcher from the cache: the automaton of names in spaceless
    scripts is rebuilt with the others."""
    import pickle

    m = matcher({"cache": "キャッシュ", "kv": "KVキャッシュ", "os": "OS"})
    again = pickle.loads(pickle.dumps(m, protocol=5))
    for text in ["KVキャッシュとOSを使う", "このキャッシュ", "macOS"]:
        assert again.scan(text) == m.scan(text) and again.scan(text, explain=True) == m.scan(text, explain=True)
    assert found(again, "KVキャッシュとOSを使う") == ["KVキャッシュ", "OS"]
