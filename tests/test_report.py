"""`glossary-site report`: the example site's real findings (text and JSON), a small site for each
kind of finding, the multilingual test site language by language, and the dev server's /_report/."""

import json
import re
import shutil
import time
from pathlib import Path

from conftest import REPO, make_site, run_cli
from test_author_loop import get

from glossary_site.commands.dev_server import DevServer
from glossary_site.commands.report import KINDS
from glossary_site.content.config import load_config
from glossary_site.content.diagnostics import Diagnostics

MULTILINGUAL = Path(__file__).parent / "sites" / "multilingual"


def term(title, summary="A thing.", related=(), extra=""):
    rel = f"related: [{', '.join(related)}]\n" if related else ""
    return f"---\ntitle: {title}\nsummary: {summary}\ncategory: Misc\ndepth: basics\n{rel}{extra}---\n"


def article(title, body, extra=""):
    return f"---\ntitle: {title}\n{extra}---\n{body}"


def report(capsys, site, *flags):
    code, out, err = run_cli(capsys, "report", site, "--format", "json", *flags)
    assert code == 0, err
    return json.loads(out)["languages"]


def by_kind(language: dict, kind: str) -> dict[str, dict]:
    return {f["subject"]: f for f in language["findings"] if f["kind"] == kind}


# --- the example site -------------------------------------------------------------------


def test_the_example_site_has_a_real_finding_of_each_kind(capsys):
    code, out, err = run_cli(capsys, "report", REPO)
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0].startswith("Self-Hosted AI Notes: ") and "findings" in lines[0]
    for expected in [
        "terms/ecc-memory.md:2: 'ECC memory' is mentioned by no article and no other term",
        "terms/caddy.md:2: 'Caddy' lists no related terms",
        "content/how-these-notes-are-written.md:2: 'How these notes are written' links no term",
    ]:
        assert expected in lines, expected
    # age has `autolink: false` (line 8): mentioned in prose and in code, never linked.
    unlinked = next(line for line in lines if line.startswith("terms/age.md:8: 'age' is mentioned"))
    assert "never linked: autolink is off for this term (content/reaching-your-server-from-anywhere.md:" in unlinked
    assert "inside code (content/running-models-at-home.md:" in unlinked
    assert any(line.startswith("terms/caddy.md:3: the summary of 'Caddy' is ") for line in lines)
    nvidia = next(line for line in lines if "'NVIDIA' has no entry" in line)
    assert nvidia.startswith("content/picking-a-quant.md:") and "3 articles use it" in nvidia
    for heading in KINDS.values():
        assert any(line.startswith(heading) for line in lines), heading


def test_the_example_site_report_as_json_names_files_and_lines_that_exist(capsys):
    [language] = report(capsys, REPO)
    assert language["language"] == "en" and language["terms"] >= 60 and language["articles"] >= 8
    assert all(language["counts"][kind] >= 1 for kind in KINDS), language["counts"]
    assert "ecc-memory" in by_kind(language, "unmentioned")
    assert by_kind(language, "unlinked")["age"]["url"] == "/terms/age/"
    assert {"caddy"} <= set(by_kind(language, "long-summary")) and "caddy" in by_kind(language, "no-related")
    assert "content/how-these-notes-are-written.md" in by_kind(language, "orphan")
    missing = by_kind(language, "missing")
    assert {"NVIDIA", "FP8", "VPS"} <= set(missing)
    assert list(missing)[0] == "NVIDIA"  # the most articles first
    assert len(missing["NVIDIA"]["places"]) == 3
    assert language["summary_limit"] == 2 * language["summary_median"]
    for finding in language["findings"]:
        for place in [{"path": finding["path"], "line": finding["line"]}, *finding["places"]]:
            lines = (REPO / place["path"]).read_text(encoding="utf-8").splitlines()
            assert 1 <= place["line"] <= len(lines), (finding, place)
    for finding in missing.values():  # each place is a line that uses the phrase
        for place in finding["places"]:
            text = (REPO / place["path"]).read_text(encoding="utf-8").splitlines()[place["line"] - 1]
            assert finding["subject"].split(" ")[0] in text, (finding["subject"], place)


def test_the_report_agrees_with_the_links_of_a_build(tmp_path, capsys):
    """What the report says is never linked is linked on no built page, every other term is
    linked on one, and an orphan article's page holds no term link."""
    assert run_cli(capsys, "build", REPO, "--output", tmp_path / "out", "--no-cache")[0] == 0
    linked, articles_linking = set(), set()
    for page in (tmp_path / "out").rglob("*.html"):
        found = set(re.findall(r'class="term-link" data-term="([^"]+)"', page.read_text(encoding="utf-8")))
        linked |= found
        if found and page.parent.parent.name == "articles":
            articles_linking.add(page.parent.name)
    [language] = report(capsys, REPO)
    never = set(by_kind(language, "unmentioned")) | set(by_kind(language, "unlinked"))
    terms = {path.stem for path in (REPO / "terms").glob("*.md")}
    assert never and not never & linked
    assert terms - never <= linked
    orphans = {Path(source).stem for source in by_kind(language, "orphan")}
    assert orphans and not orphans & articles_linking and len(articles_linking) == language["articles"] - len(orphans)


# --- one small site per kind ------------------------------------------------------------

SITE = {
    "terms/gpu.md": term("GPU", related=["vram"]),
    "terms/vram.md": term("VRAM", related=["gpu"]),
    "content/post.md": article("Post", "The GPU holds weights in VRAM.\n"),
}


def test_a_term_nothing_mentions(tmp_path, capsys):
    site = make_site(tmp_path / "site", {
        **SITE,
        "terms/wer.md": term("WER", related=["gpu"]),           # only inside 'answer': no mention
        "terms/ecc.md": term("ECC", related=["gpu"]) + "ECC is on its own page only.\n",
        "terms/tpu.md": term("TPU", related=["gpu"]),
        "content/other.md": article("Other", "An answer about the GPU and a TPU.\n"),
    })  # fmt: skip
    [language] = report(capsys, site)
    found = by_kind(language, "unmentioned")
    assert set(found) == {"wer", "ecc"}
    assert found["ecc"]["path"] == "terms/ecc.md" and found["ecc"]["line"] == 2
    assert not by_kind(language, "unlinked")


def test_terms_mentioned_but_never_linked_say_why_and_where(tmp_path, capsys):
    site = make_site(tmp_path / "site", {
        **SITE,
        "terms/age.md": term("age", related=["gpu"], extra="autolink: false\n"),
        "terms/tpu.md": term("TPU", related=["gpu"]),
        "terms/npu.md": term("NPU", related=["gpu"]),
        "terms/ssd.md": term("SSD", related=["gpu"]),
        "terms/hbm.md": term("HBM", related=["gpu"]),
        "content/a.md": article("A", "## The TPU\n\nEncrypt with age.\n\nRun `NPU` here.\n\nThe [[hbm]] stack.\n"),
        "content/b.md": article("B", "An SSD and a TPU, plainly.\n", "autolink: false\n"),
    })  # fmt: skip
    code, out, _ = run_cli(capsys, "report", site)
    assert code == 0
    lines = out.splitlines()
    # Pointed at the term's `autolink: false` line when that is why.
    assert "terms/age.md:7: 'age' is mentioned 1x but never linked: autolink is off for this term (content/a.md:6)" in lines
    assert ("terms/tpu.md:2: 'TPU' is mentioned 2x but never linked: in a heading (content/a.md:4); "
            "autolink is off for this document (content/b.md:5)") in lines  # fmt: skip
    assert "terms/npu.md:2: 'NPU' is mentioned 1x but never linked: inside code (content/a.md:8)" in lines
    assert "terms/ssd.md:2: 'SSD' is mentioned 1x but never linked: autolink is off for this document (content/b.md:5)" in lines
    assert not any(line.startswith("terms/hbm.md") for line in lines)  # a [[reference]] is a link
    [language] = report(capsys, site)
    assert by_kind(language, "unlinked")["tpu"]["places"] == [{"path": "content/a.md", "line": 4},
                                                               {"path": "content/b.md", "line": 5}]


def test_salience_and_ambiguity_are_reasons_too(tmp_path, capsys):
    site = make_site(tmp_path / "site", {
        **SITE,
        "site.yaml": "link_common_terms: false\n",
        "terms/api.md": term("Application Programming Interface (API)", related=["gpu"]),
        "terms/api2.md": term("Advanced Power Interface (API)", related=["gpu"]),
        **{f"content/p{i}.md": article(f"P{i}", "One GPU here, and an API.\n") for i in range(4)},
        "content/about.md": article("About GPUs", "The GPU, again.\n"),
    })  # fmt: skip
    [language] = report(capsys, site)
    unlinked = by_kind(language, "unlinked")
    assert "gpu" not in unlinked  # linked where the page is about it: its title says so
    assert {"api", "api2"} <= set(unlinked)
    assert "never linked: ambiguous: api, api2" in unlinked["api"]["message"]
    assert len(unlinked["api"]["places"]) == 4
    many = {f"content/p{i}.md": article(f"P{i}", "One GPU here.\n") for i in range(5)}
    site = make_site(tmp_path / "common", {**SITE, "site.yaml": "link_common_terms: false\n", **many})
    [language] = report(capsys, site)
    gpu = by_kind(language, "unlinked")["gpu"]
    assert gpu["message"].startswith("'GPU' is mentioned 6x but never linked: common term (mentioned on 100% of articles)")


def test_a_stem_two_terms_share_is_a_mention_of_both(tmp_path, capsys):
    """With stemming, 'observed' has the stem of Observer and of Observability: linked to neither,
    and a mention of each (not of the one term the matcher's candidate happens to carry)."""
    site = make_site(tmp_path / "site", {
        **SITE,
        "site.yaml": "stemming: true\n",
        "terms/observer.md": term("Observer", related=["gpu"]),
        "terms/observability.md": term("Observability", related=["gpu"]),
        "content/seen.md": article("Seen", "It was observed.\n"),
    })  # fmt: skip
    [language] = report(capsys, site)
    assert not by_kind(language, "unmentioned")
    unlinked = by_kind(language, "unlinked")
    for slug in ("observer", "observability"):
        assert "mentioned 1x but never linked: ambiguous: observability, observer" in unlinked[slug]["message"]
        assert unlinked[slug]["places"] == [{"path": "content/seen.md", "line": 4}]


def test_a_term_linked_only_from_another_term_is_linked(tmp_path, capsys):
    site = make_site(tmp_path / "site", {
        **SITE,
        "terms/hbm.md": term("HBM", related=["gpu"]),
        "terms/vram.md": term("VRAM", "Memory on the card, often HBM.", related=["gpu"]),
    })  # fmt: skip
    [language] = report(capsys, site)
    assert not by_kind(language, "unmentioned") and not by_kind(language, "unlinked")


def test_likely_missing_terms_are_ranked_by_the_articles_that_use_them(tmp_path, capsys):
    site = make_site(tmp_path / "site", {
        **SITE,
        "content/a.md": article("A", "We asked NVIDIA and Home Assistant.\n\nThe GPU from NVIDIA again.\n"),
        "content/b.md": article("B", "Then Home Assistant ran.\nOn NVIDIA cards, with the\nGPU and VRAM.\n"),
        "content/c.md": article("C", "Only NVIDIA here, and Proxmox twice: Proxmox.\n\n```\nCUDA in code\n```\n"),
        "content/d.md": article("D", "Some CUDA in `CUDA` code and once in prose.\n"),
    })  # fmt: skip
    [language] = report(capsys, site)
    missing = by_kind(language, "missing")
    assert list(missing) == ["NVIDIA", "Home Assistant"]  # Proxmox: one article; CUDA: one in prose
    nvidia = missing["NVIDIA"]
    assert (nvidia["path"], nvidia["line"]) == ("content/a.md", 4)
    assert nvidia["places"] == [{"path": "content/a.md", "line": 4}, {"path": "content/b.md", "line": 5},
                                {"path": "content/c.md", "line": 4}]  # fmt: skip
    assert nvidia["message"].startswith("'NVIDIA' has no entry; 3 articles use it 4x")
    assert missing["Home Assistant"]["places"][1] == {"path": "content/b.md", "line": 4}
    assert "GPU" not in missing and "VRAM" not in missing  # terms, even wrapped or sentence-initial


def test_a_summary_more_than_twice_the_median_and_terms_without_related(tmp_path, capsys):
    short = {f"terms/t{i}.md": term(f"Term{i}", "Twenty characters ok", related=["gpu"]) for i in range(5)}
    long_summary = "A summary that goes on " + "and on " * 8 + "forever."
    site = make_site(tmp_path / "site", {
        **SITE, **short,
        "terms/long.md": term("Long", long_summary, related=["gpu"]),
        "terms/alone.md": term("Alone"),
        "terms/listed.md": term("Listed"),
        "terms/tpu.md": term("TPU", related=["listed"]),
    })  # fmt: skip
    [language] = report(capsys, site)
    long = by_kind(language, "long-summary")
    assert set(long) == {"long"} and long["long"]["line"] == 3
    assert language["summary_median"] == 20 and language["summary_limit"] == 40
    no_related = by_kind(language, "no-related")
    assert set(no_related) == {"alone", "listed"}
    assert no_related["listed"]["message"] == "'Listed' lists no related terms (its page shows tpu, which list it)"
    # Fewer than five terms: no median to compare with.
    small = make_site(tmp_path / "small", {**SITE, "terms/long.md": term("Long", long_summary, related=["gpu"])})
    assert not by_kind(report(capsys, small)[0], "long-summary")


def test_orphan_articles_link_no_term(tmp_path, capsys):
    site = make_site(tmp_path / "site", {
        **SITE,
        "content/about.md": article("About", "Who writes this.\n"),
        "content/ref.md": article("Ref", "Only a [[gpu|reference]].\n", "autolink: false\n"),
        "content/shortcode.md": article("Shortcode", 'Only a {{< term "vram" "shortcode" >}}.\n', "autolink: false\n"),
        "content/off.md": article("Off", "A GPU, unlinked.\n", "autolink: false\n"),
        "content/heading.md": "---\ndate: 2024-01-01\n---\n# A heading title\n\nNothing here.\n",
    })  # fmt: skip
    code, out, _ = run_cli(capsys, "report", site)
    assert code == 0
    lines = out.splitlines()
    assert "content/about.md:2: 'About' links no term" in lines
    assert "content/off.md:2: 'Off' links no term (autolink: false, and no [[reference]])" in lines
    assert "content/heading.md:4: 'A heading title' links no term" in lines
    assert not any(line.startswith(("content/ref.md", "content/shortcode.md", "content/post.md")) for line in lines)


def test_a_clean_glossary_reports_nothing_and_content_errors_exit_1(tmp_path, capsys):
    site = make_site(tmp_path / "site", SITE)
    code, out, _ = run_cli(capsys, "report", site)
    assert code == 0 and out.strip() == "Glossary: 2 terms, 1 articles, 0 findings"
    (site / "content/bad.md").write_text(article("Bad", "See [[gpuu]].\n"))
    (site / "terms/broken.md").write_text(term("Broken", related=["nothing"]))
    for flags in ((), ("--format", "json")):
        code, out, err = run_cli(capsys, "report", site, *flags)
        assert code == 1 and out == ""
        assert "terms/broken.md:6: error: related term 'nothing' does not exist" in err
    (site / "terms/broken.md").unlink()
    code, out, err = run_cli(capsys, "report", site)
    assert code == 1 and "content/bad.md:4: error: reference [[gpuu]] names no term" in err
    assert run_cli(capsys, "report", tmp_path / "missing")[0] == 2


# --- a multilingual site ----------------------------------------------------------------


def test_the_multilingual_site_is_reported_language_by_language(tmp_path, capsys):
    site = tmp_path / "site"
    shutil.copytree(MULTILINGUAL, site, ignore=shutil.ignore_patterns("expected"))
    languages = report(capsys, site)
    assert [(lang["language"], lang["terms"]) for lang in languages] == [("en", 7), ("ja", 7), ("ar", 3)]
    assert all(not lang["findings"] for lang in languages)  # a well-kept glossary
    make_site(site, {
        "terms/ja/memory-bandwidth.md": "---\ntitle: メモリ帯域幅\nsummary: 一秒あたりに読み書きできるデータ量。\n"
                                        "category: メモリ\ndepth: deeper\nrelated: [gpu]\n---\n",
        "content/posts/about.ar.md": "---\ntitle: عن هذا الموقع\n---\nكتبنا هذه الملاحظات بأنفسنا.\n",
    })  # fmt: skip
    en, ja, ar = report(capsys, site)
    assert not en["findings"]
    assert [(f["kind"], f["path"], f["line"]) for f in ja["findings"]] == [
        ("unmentioned", "terms/ja/memory-bandwidth.md", 2)]
    assert [(f["kind"], f["path"], f["url"]) for f in ar["findings"]] == [("orphan", "content/posts/about.ar.md", "/ar/articles/about/")]
    code, out, _ = run_cli(capsys, "report", site)
    assert code == 0
    assert "[ja] ローカルAI用語集: 8 terms, 2 articles, 1 findings" in out.splitlines()
    assert "terms/ja/memory-bandwidth.md:2: 'メモリ帯域幅' is mentioned by no article and no other term" in out


# --- the dev server ---------------------------------------------------------------------


def test_the_dev_server_shows_the_report_at_request_time_and_never_publishes_it(tmp_path):
    site = make_site(tmp_path / "site", {**SITE, "terms/tpu.md": term("TPU", related=["gpu"])})
    dev = DevServer(load_config(site, Diagnostics()), bind="127.0.0.1", port=0, log=lambda line: None)
    dev.start()
    try:
        status, html = get(dev, "/_report/")
        assert status == 200
        assert "Terms that nothing mentions (1)" in html and "<a href='/terms/tpu/'>tpu</a>" in html
        assert "terms/tpu.md:2" in html and "EventSource" in html  # reloads with the site
        assert get(dev, "/_report")[0] == 200
        (site / "content/post.md").write_text(article("Post", "The GPU holds weights in VRAM, unlike a TPU.\n"))
        status, html = get(dev, "/_report/")
        assert "Terms that nothing mentions" not in html and "Nothing to report." in html
        (site / "content/post.md").write_text(article("Post", "A [[gpuu]].\n"))
        status, html = get(dev, "/_report/")
        assert status == 200 and "content/post.md:4: error: reference [[gpuu]] names no term" in html
        time.sleep(0.3)  # let the watcher's rebuild finish before looking at the output
        output = dev.config.output
        assert output.is_dir() and not any("_report" in p.as_posix() for p in output.rglob("*"))
    finally:
        dev.stop()
