"""Pages with slots (pages/entry_slots.py): a term's summary edit re-fills the pages showing it, and
what it publishes is what rendering them again would."""


from conftest import make_site, run_cli
from hypothesis import given
from hypothesis import strategies as st
from test_edit_path import _site, age, assert_equals_clean, cli_build
from test_incremental import BASE, article_text, term_text

import glossary_site.build.article_pages as article_unit
from glossary_site.pages.entry_slots import encoded, fill, markers, splice

SLUGS = ["gpu", "kv-cache", "token", "a"]
text = st.text(st.characters(blacklist_characters="\0", blacklist_categories=("Cs",)), max_size=12)
entry = st.text(st.characters(blacklist_characters="\0", blacklist_categories=("Cs",)), max_size=20)  # pages are UTF-8
entries = st.fixed_dictionaries({slug: entry for slug in SLUGS})
# A page: texts, with runs of entries between them (an empty text joins two runs into one).
page_shape = st.lists(st.tuples(text, st.lists(st.sampled_from(SLUGS), min_size=1, max_size=4)), max_size=5)


def render(shape, tail: str, items: dict[str, str]) -> str:
    """What a template printing `items` at these places makes."""
    return "".join(before + "".join(items[slug] for slug in run) for before, run in shape) + tail


@given(page_shape, text, entries, entries)
def test_a_spliced_page_is_the_page_rendered_with_the_new_entries(shape, tail, old, new):
    placed = [slug for _, run in shape for slug in run]
    marked = render(shape, tail, markers(SLUGS)).encode()
    filled = fill(marked, placed, encoded(old))
    assert filled is not None
    page, slots = filled
    assert page == render(shape, tail, old).encode()
    assert splice(page, slots, encoded(old), encoded(new)) == render(shape, tail, new).encode()


@given(page_shape.filter(lambda shape: shape), text, entries, st.data())
def test_a_page_that_differs_where_it_shows_an_entry_is_never_spliced(shape, tail, old, data):
    placed = [slug for _, run in shape for slug in run]
    page, slots = fill(render(shape, tail, markers(SLUGS)).encode(), placed, encoded(old))
    stale = dict(old)
    slug = data.draw(st.sampled_from(placed))
    stale[slug] = data.draw(entry.filter(lambda e: e != old[slug]))  # the page shows another entry
    assert splice(page, slots, encoded(stale), encoded(old)) is None
    assert splice(page + b"x", slots, encoded(old), encoded(old)) is None  # or has more text


def test_markers_that_do_not_come_back_as_placed_give_no_slots():
    marked = render([("<h1>\0gpu\0</h1>", ["gpu"])], "", markers(SLUGS)).encode()  # a NUL-framed slug in a title
    assert fill(marked, ["gpu"], encoded(dict.fromkeys(SLUGS, "x"))) is None
    assert fill(b"one \0 NUL", [], {}) is None


def test_a_summary_edit_refills_the_pages_showing_it_without_rendering_them(tmp_path, capsys, monkeypatch):
    site = _site(tmp_path, capsys)
    rendered = []
    real = article_unit.ArticleRenderer.run
    monkeypatch.setattr(article_unit.ArticleRenderer, "run", lambda self, a, *r: rendered.append(a.slug) or real(self, a, *r))
    (site / "terms/gpu.md").write_text(term_text("GPU", "A processor of many small cores."))
    age(site, [site / "terms/gpu.md"])
    code, output = cli_build(capsys, site)
    assert code == 0 and "1 edited file applied to the last build" in output, output
    assert rendered == []
    assert "A processor of many small cores." in (tmp_path / "out/articles/a/index.html").read_text()
    assert_equals_clean(site, "spliced")


def test_a_page_changed_by_hand_where_it_shows_an_entry_is_rendered_again(tmp_path, capsys, monkeypatch):
    site = _site(tmp_path, capsys)
    page = tmp_path / "out/articles/a/index.html"
    old = page.read_text()
    assert "A parallel processor for the maths." in old
    page.unlink()  # a new inode: the staging directory's hard link keeps the built page
    page.write_text(old.replace("A parallel processor for the maths.", "A parallel processor, by hand."))
    rendered = []
    real = article_unit.ArticleRenderer.run
    monkeypatch.setattr(article_unit.ArticleRenderer, "run", lambda self, a, *r: rendered.append(a.slug) or real(self, a, *r))
    (site / "terms/gpu.md").write_text(term_text("GPU", "A processor of many small cores."))
    age(site, [site / "terms/gpu.md"])
    assert cli_build(capsys, site)[0] == 0
    assert rendered == ["a"]
    assert_equals_clean(site, "rendered again")


def test_a_title_holding_a_marker_is_printed_as_written(tmp_path, capsys):
    files = dict(BASE)
    files["content/c.md"] = article_text('"\\0gpu\\0 and the GPU"', "2026-01-03", "The GPU again.")
    site = make_site(tmp_path / "site", files)
    age(site)
    assert cli_build(capsys, site)[0] == 0
    page = (tmp_path / "out/articles/c/index.html").read_bytes()
    assert b"<h1" in page and b"\0gpu\0 and the GPU</h1>" in page
    (site / "terms/gpu.md").write_text(term_text("GPU", "A processor of many small cores."))
    age(site, [site / "terms/gpu.md"])
    assert cli_build(capsys, site)[0] == 0
    assert_equals_clean(site, "a marker in a title")


def test_a_summary_shown_by_many_pages_is_spliced_by_worker_processes(tmp_path, capsys, monkeypatch):
    files = dict(BASE)
    files.update({f"content/n{i:02}.md": article_text(f"Note {i}", "2026-02-01", f"The GPU, note {i}.")
                  for i in range(80)})  # over workers.THRESHOLD: the pages are spliced by two workers
    site = make_site(tmp_path / "site", files)
    age(site)
    code, out, err = run_cli(capsys, "build", site, "--output", tmp_path / "out", "--jobs", "2")
    assert code == 0, err
    log = tmp_path / "rendered"  # written by whichever process renders
    real = article_unit.ArticleRenderer.run

    def run(self, article, *rest):
        with open(log, "a") as out:
            out.write(article.slug + "\n")
        return real(self, article, *rest)

    monkeypatch.setattr(article_unit.ArticleRenderer, "run", run)
    (site / "terms/gpu.md").write_text(term_text("GPU", "A processor of many small cores."))
    age(site, [site / "terms/gpu.md"])
    code, out, err = run_cli(capsys, "build", site, "--output", tmp_path / "out", "--jobs", "2")
    assert code == 0 and "1 edited file applied" in out + err, out + err
    assert not log.exists()
    assert "A processor of many small cores." in (tmp_path / "out/articles/n79/index.html").read_text()
    assert_equals_clean(site, "spliced by workers")
