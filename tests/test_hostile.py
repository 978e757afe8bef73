"""Hostile and oversized input: huge files, huge related lists, script URLs."""

import resource
import subprocess
import sys

from conftest import make_site, run_cli

GPU = "---\ntitle: GPU\nsummary: A processor.\ncategory: Hardware\ndepth: basics\n---\nBody.\n"


def test_a_20_mb_article_builds_in_bounded_memory(tmp_path):
    paragraph = "The KV cache sits on the GPU and grows with every token of the context window. " * 8
    body = "\n\n".join(f"## Part {i}\n\n{paragraph}" for i in range(31000))
    site = make_site(tmp_path / "site", {"terms/gpu.md": GPU, "content/big.md": f"---\ntitle: Big\n---\n{body}\n"})
    assert (site / "content/big.md").stat().st_size > 20_000_000
    result = subprocess.run([sys.executable, "-m", "glossary_site", "build", str(site), "--no-cache"],
                            capture_output=True, text=True)  # fmt: skip
    assert result.returncode == 0, result.stderr
    page = (site / "public/articles/big/index.html").read_text()
    assert page.count('data-term="gpu"') == 1 and page.count("<h2 id=") == 31000
    # markdown-it-py's token stream is what grows with a document: about 25 bytes per source byte.
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    assert peak_mb < 1200, f"peak {peak_mb:.0f} MB"


def test_thousands_of_related_entries_and_cycles(tmp_path, capsys):
    files = {f"terms/t{i}.md": f"---\ntitle: T{i}\nsummary: S{i}.\ncategory: General\ndepth: basics\n"
                               f"related: [t{(i + 1) % 2000}]\n---\nBody.\n" for i in range(1, 2000)}  # a 1999-term cycle
    hub = ", ".join(f"t{i}" for i in range(1, 2000))
    files["terms/t0.md"] = f"---\ntitle: T0\nsummary: S0.\ncategory: General\ndepth: basics\nrelated: [{hub}]\n---\nHub.\n"
    site = make_site(tmp_path / "site", files)
    code, _, err = run_cli(capsys, "build", site, "--output", tmp_path / "out")
    assert code == 0, err
    hub_page = (tmp_path / "out/terms/t0/index.html").read_text()
    assert all(f'/terms/t{i}/"' in hub_page for i in (1, 999, 1999))


def test_script_urls_in_markdown_links_are_dropped(tmp_path, capsys):
    body = "[click](javascript:alert(1)) [data](data:text/html;base64,PHNjcmlwdD4=) [ok](https://example.org)\n"
    site = make_site(tmp_path / "site", {"terms/gpu.md": GPU, "content/a.md": f"---\ntitle: A\n---\n{body}"})
    assert run_cli(capsys, "build", site, "--output", tmp_path / "out")[0] == 0
    page = (tmp_path / "out/articles/a/index.html").read_text()
    assert 'href="javascript:' not in page and 'href="data:text/html' not in page
    assert 'href="https://example.org"' in page


def test_indented_front_matter_keys_are_valid_yaml(tmp_path, capsys):
    indented = "---\n  title: KV cache\n  summary: Keys and values.\n  category: Memory\n  depth: basics\n---\nBody.\n"
    site = make_site(tmp_path / "site", {"terms/kv-cache.md": indented,
                                         "content/a.md": "---\n  title: A\n  tags: [x]\n---\nThe KV cache.\n"})
    code, _, err = run_cli(capsys, "build", site, "--output", tmp_path / "out")
    assert code == 0, err
    assert 'data-term="kv-cache"' in (tmp_path / "out/articles/a/index.html").read_text()
