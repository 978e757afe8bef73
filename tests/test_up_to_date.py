"""`build` with nothing changed answers from a stat check, without loading the cache or
rendering; any change to an input, a flag or the output takes the full build."""

import os
import time
from pathlib import Path

from conftest import make_site, run_cli

TERM = "---\ntitle: GPU\nsummary: A parallel processor.\ncategory: Hardware\ndepth: basics\n{extra}---\nA GPU runs maths.\n"
ARTICLE = "---\ntitle: Notes\ndate: 2026-01-02\nsummary: About GPUs.\n---\nThe GPU was busy.\n"
FILES = {
    "site.yaml": "search: false\n",
    "terms/gpu.md": TERM.format(extra=""),
    "content/notes.md": ARTICLE,
    "templates/footer.html": "<footer>plain</footer>\n",
}


def age_inputs(site: Path, seconds: int = 60) -> None:
    """Every input written a minute ago, as on a real checkout: outside the racy window."""
    past = time.time() - seconds
    for path in site.rglob("*"):
        if ".glossary-cache" not in path.parts and "public" not in path.parts:
            os.utime(path, (past, past))


def build(capsys, site: Path, *flags: str) -> str:
    code, out, err = run_cli(capsys, "build", site, *flags)
    assert code == 0, err
    return out + err


def test_nothing_changed_is_up_to_date_and_touches_nothing(tmp_path, capsys):
    site = make_site(tmp_path / "site", FILES)
    age_inputs(site)
    assert "up to date" not in build(capsys, site)
    page = site / "public/articles/notes/index.html"
    before = page.stat().st_mtime_ns, (site / ".glossary-cache/cache.sqlite").stat().st_mtime_ns
    assert "(0 written, 0 removed; up to date)" in build(capsys, site)
    assert (page.stat().st_mtime_ns, (site / ".glossary-cache/cache.sqlite").stat().st_mtime_ns) == before


def test_every_kind_of_change_takes_the_full_build(tmp_path, capsys):
    site = make_site(tmp_path / "site", FILES)
    age_inputs(site)
    build(capsys, site)
    changes = [
        lambda: (site / "content/notes.md").write_text(ARTICLE.replace("busy", "idle")),  # same size
        lambda: (site / "terms/gpu.md").write_text(TERM.format(extra="aliases: [graphics card]\n")),
        lambda: (site / "templates/footer.html").write_text("<footer>changed</footer>\n"),
        lambda: (site / "site.yaml").write_text("search: false\ntitle: Renamed\n"),
        lambda: (site / "content/new.md").write_text(ARTICLE.replace("Notes", "More")),
        lambda: (site / "content/new.md").unlink(),
        lambda: (site / "public/terms/gpu/index.html").unlink(),  # a page deleted by hand is restored
    ]
    for change in changes:
        change()
        age_inputs(site)
        assert "up to date" not in build(capsys, site)
        assert "up to date" in build(capsys, site)
    assert (site / "public/terms/gpu/index.html").is_file()
    assert "changed" in (site / "public/articles/notes/index.html").read_text()
    assert "up to date" not in build(capsys, site, "--base-url", "/sub/")  # a flag is an input too


def test_a_file_changed_within_the_racy_window_is_not_trusted(tmp_path, capsys):
    site = make_site(tmp_path / "site", FILES)
    build(capsys, site)  # the inputs were written just now: the snapshot cannot vouch for them
    assert "up to date" not in build(capsys, site)


def test_warnings_are_printed_again_and_strict_still_fails(tmp_path, capsys):
    site = make_site(tmp_path / "site", {**FILES, "terms/gpu.md": TERM.format(extra="colour: green\n")})
    age_inputs(site)
    first = build(capsys, site)
    again = build(capsys, site)
    assert "up to date" in again and "unknown key 'colour'" in first and "unknown key 'colour'" in again
    code, _, err = run_cli(capsys, "build", site, "--strict")
    assert code == 1 and "unknown key 'colour'" in err


def test_an_unreadable_manifest_means_a_full_build(tmp_path, capsys):
    site = make_site(tmp_path / "site", FILES)
    age_inputs(site)
    build(capsys, site)
    (site / ".glossary-cache/inputs.pickle").write_bytes(b"\x80garbage")
    assert "up to date" not in build(capsys, site)
    assert "up to date" in build(capsys, site)


def test_a_reinstalled_library_rebuilds_everything_without_the_cache(tmp_path, capsys, monkeypatch):
    """Upgrading markdown-it-py (or Pygments, Jinja2 ...) may change every page: the output
    is no longer up to date and no cached row (bodies rendered by the old code) is trusted."""
    from glossary_site.build import up_to_date

    library = tmp_path / "lib" / "markdown_it.py"
    library.parent.mkdir()
    library.write_text("version 1\n")
    os.utime(library, (time.time() - 60,) * 2)
    monkeypatch.setattr(up_to_date, "_entry_files", [str(library)])
    site = make_site(tmp_path / "site", FILES)
    age_inputs(site)
    first = build(capsys, site)
    pages = first.split("(")[1].split(" written")[0]
    assert "up to date" in build(capsys, site)
    (site / "site.yaml").write_text("search: false\n")  # the same text: a cached build renders nothing
    age_inputs(site)
    assert "(0 written, 0 removed)" in build(capsys, site)
    library.write_text("version 2\n")
    os.utime(library, (time.time() - 30,) * 2)
    again = build(capsys, site)
    assert "up to date" not in again and f"({pages} written, 0 removed)" in again, (first, again)


def test_the_cache_stamp_follows_the_engine_bytes_not_where_its_files_are(tmp_path, monkeypatch):
    """engine_key() stamps the build cache: the same package and libraries installed anew (other
    paths, inodes and mtimes, as `pip install .` on a fresh CI runner) keep it; one changed byte
    of the package or of a library's entry file does not."""
    import shutil

    import glossary_site
    from glossary_site.build import up_to_date

    def install(folder: Path) -> tuple[Path, Path]:
        package = folder / "site-packages" / "glossary_site"
        shutil.copytree(Path(glossary_site.__file__).parent, package, copy_function=shutil.copyfile,
                        ignore=shutil.ignore_patterns("__pycache__", ".*"))  # fmt: skip
        library = folder / "site-packages" / "markdown_it" / "__init__.py"
        library.parent.mkdir()
        library.write_text("__version__ = '4.3.0'\n")
        return package, library

    def key(package: Path, library: Path) -> str:
        monkeypatch.setattr(up_to_date, "_PACKAGE", str(package))
        monkeypatch.setattr(up_to_date, "_entry_files", [str(library)])
        return up_to_date.engine_key()

    monkeypatch.setattr(up_to_date, "_engine_key", None)
    package, library = install(tmp_path / "first")
    first, stats = key(package, library), up_to_date.engine()
    assert key(*install(tmp_path / "second")) == first  # a byte-identical install elsewhere
    inodes = {stat[2] for stat in up_to_date.engine().values()}
    assert inodes.isdisjoint(stat[2] for stat in stats.values())  # all new files to the stat check
    os.utime(package / "__init__.py", (time.time() - 3600,) * 2)
    assert key(package, library) == first  # touched, not changed
    (package / ".ruff_cache").mkdir()
    (package / ".ruff_cache" / "data").write_bytes(b"not code")
    assert key(package, library) == first

    template = package / "theme" / "templates" / "footer.html"
    template.write_bytes(template.read_bytes().replace(b"<", b"{", 1))  # same size, one byte
    edited = key(package, library)
    assert edited != first
    library.write_text("__version__ = '4.3.1'\n")
    assert key(package, library) not in (first, edited)
    (package / "build" / "new_module.py").write_text("")
    assert key(package, library) != edited
