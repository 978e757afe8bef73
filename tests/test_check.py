"""`check` and `build` for CI: --strict, machine-readable diagnostics, and the link checker."""

import json

from conftest import run_cli
from test_build import BASIC, term

SELF_RELATED = {
    **BASIC,
    "terms/ram.md": term("RAM", "Working memory.", extra="related: [ram]\n"),
}


def test_warnings_pass_by_default_and_fail_with_strict(site_factory, capsys):
    site = site_factory(SELF_RELATED)
    out = site.parent / "out"
    code, _, err = run_cli(capsys, "build", site, "--output", out)
    assert code == 0 and "terms/ram.md:6: warning: term 'ram' lists itself as related" in err
    (out / "index.html").write_text("previous\n")
    code, _, err = run_cli(capsys, "build", site, "--output", out, "--strict")
    assert code == 1 and "--strict: warnings count as errors" in err
    assert (out / "index.html").read_text() == "previous\n"  # nothing published
    assert run_cli(capsys, "check", site)[0] == 0
    assert run_cli(capsys, "check", site, "--strict")[0] == 1


def test_check_format_json_lists_every_problem(site_factory, capsys):
    site = site_factory({**SELF_RELATED, "terms/bad.md": term("Bad", depth="deepish")})
    code, out, _ = run_cli(capsys, "check", site, "--format", "json")
    assert code == 1
    problems = json.loads(out)
    assert {(p["path"], p["line"], p["level"]) for p in problems} >= {("terms/bad.md", 5, "error"),
                                                                      ("terms/ram.md", 6, "warning")}
    bad = next(p for p in problems if p["path"] == "terms/bad.md")
    assert bad["message"] == "unknown depth 'deepish'" and "deepest" in bad["hint"]


def test_format_github_prints_workflow_annotations(site_factory, capsys):
    site = site_factory({**SELF_RELATED, "terms/bad.md": term("Bad", depth="deepish")})
    code, out, _ = run_cli(capsys, "check", site, "--format", "github")
    assert code == 1
    lines = out.splitlines()
    assert any(l.startswith("::error file=terms/bad.md,line=5,title=glossary-site::unknown depth 'deepish'") for l in lines)
    assert any(l.startswith("::warning file=terms/ram.md,line=6,") for l in lines)
    code, out, _ = run_cli(capsys, "build", site, "--output", site.parent / "out", "--format", "github")
    assert code == 1 and "::error file=terms/bad.md,line=5," in out


BROKEN_LINKS = {
    **BASIC,
    "content/links.md": "---\ntitle: Links\ndate: 2026-01-06\n---\n# Links\n\nFine: [post](/articles/post/) and [top](#links).\n\n"
                        "Broken: [gone](/articles/gone/).\n\nAnchor: [bad](/articles/post/#nowhere).\n",
}


def test_check_reports_broken_links_at_their_source_line(site_factory, capsys):
    site = site_factory(BROKEN_LINKS)
    code, _, err = run_cli(capsys, "check", site)
    assert code == 1
    errors = [l for l in err.splitlines() if ": error: " in l]
    assert errors == [
        "content/links.md:9: error: broken link '/articles/gone/' in articles/links/index.html: no such page or file. "
        "Link to a page that exists (terms/<slug>/, articles/<slug>/) or fix the #anchor.",
        "content/links.md:11: error: broken link '/articles/post/#nowhere' in articles/links/index.html: missing anchor. "
        "Link to a page that exists (terms/<slug>/, articles/<slug>/) or fix the #anchor.",
    ]
    assert not (site / "public").exists()  # check writes nothing into the site


def test_check_passes_on_a_good_site_at_a_sub_path(site_factory, capsys):
    site = site_factory(BASIC)
    assert run_cli(capsys, "check", site, "--base-url", "/my-repo/")[0] == 0
    assert run_cli(capsys, "check", site)[0] == 0
