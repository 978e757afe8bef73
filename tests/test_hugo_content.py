"""Content written for Hugo builds as it is: every front-matter form, optional titles, dates
that publish and expire, weights, and Hugo keys this tool does not act on."""

import os
import time

from conftest import run_cli

GPU = "---\ntitle: GPU\nsummary: A parallel processor.\ncategory: Hardware\ndepth: basics\n---\nA GPU.\n"


def build(capsys, site, *flags):
    return run_cli(capsys, "build", site, "--output", site.parent / "out", *flags)


def read(site, rel):
    return (site.parent / "out" / rel).read_text(encoding="utf-8")


def exists(site, rel):
    return (site.parent / "out" / rel).is_file()


def built(site_factory, capsys, files, *flags):
    """The site made of `files` (with the GPU term), built without an error."""
    site = site_factory({"terms/gpu.md": GPU, **files})
    code, _, err = build(capsys, site, *flags)
    assert code == 0, err
    assert "Traceback" not in err
    return site


def test_comment_only_and_empty_front_matter_build(site_factory, capsys):
    site = built(site_factory, capsys, {
        "content/comment.md": "---\n# Do not remove front matter.\n---\n# Comments only\n\nA GPU here.\n",
        "content/empty-yaml.md": "---\n---\nNothing above.\n",
        "content/empty-toml.md": "+++\n+++\nNothing above either.\n",
    })  # fmt: skip
    assert "<title>Comments only" in read(site, "articles/comment/index.html")
    assert "<title>Empty yaml" in read(site, "articles/empty-yaml/index.html")
    assert exists(site, "articles/empty-toml/index.html")


def test_json_front_matter_is_read_with_the_line_of_each_key(site_factory, capsys):
    site = site_factory({
        "terms/gpu.md": GPU,
        "content/data.md": '{\n  "title": "From JSON",\n  "tags": ["gpu", "json"],\n  "date": "2026-02-01"\n}\nThe GPU.\n',
        "content/bad.md": '{\n  "title": "Broken",\n  "date": \n}\nText.\n',
    })  # fmt: skip
    code, _, err = build(capsys, site)
    assert code == 1
    assert "content/bad.md:4: error: invalid JSON front matter: Expecting value" in err
    del_bad = site / "content" / "bad.md"
    del_bad.unlink()
    code, _, err = build(capsys, site)
    assert code == 0, err
    page = read(site, "articles/data/index.html")
    assert "<title>From JSON" in page and 'href="/tags/json/"' in page
    assert 'href="/terms/gpu/"' in page


def test_a_missing_title_comes_from_the_first_heading_which_is_not_repeated(site_factory, capsys):
    site = built(site_factory, capsys, {
        "content/headed.md": "---\ndate: 2026-01-01\n---\n\n# Buying a GPU\n\nA GPU costs money.\n\n## Later\n\nMore.\n",
        "content/plain-name_here.md": "---\ndate: 2026-01-02\n---\nNo heading, a GPU.\n",
        "content/posts/leaf-bundle/index.md": "---\ndate: 2026-01-03\n---\nText.\n",
    })  # fmt: skip
    headed = read(site, "articles/headed/index.html")
    assert "<title>Buying a GPU" in headed
    assert headed.count("Buying a GPU</h1>") == 1  # the page's own title, not the body's heading again
    assert 'id="later"' in headed
    assert "<title>Plain name here" in read(site, "articles/plain-name-here/index.html")
    assert "<title>Leaf bundle" in read(site, "articles/leaf-bundle/index.html")


def test_line_numbers_after_a_heading_title_stay_true(site_factory, capsys):
    site = site_factory({
        "terms/gpu.md": GPU,
        "content/post.md": "---\ndate: 2026-01-01\n---\n# Title here\n\nSee [[gpu-typo]].\n",
    })  # fmt: skip
    code, _, err = build(capsys, site)
    assert code == 1
    assert "content/post.md:6: error: reference [[gpu-typo]] names no term" in err


def test_future_and_expired_articles_are_not_published_unless_asked(site_factory, capsys):
    site = site_factory({
        "terms/gpu.md": GPU,
        "content/now.md": "---\ntitle: Now\ndate: 2026-01-01\n---\nA GPU.\n",
        "content/later.md": "---\ntitle: Later\ndate: 2999-01-01\n---\nA GPU.\n",
        "content/scheduled.md": "---\ntitle: Scheduled\ndate: 2026-01-01\npublishDate: 2999-01-01\n---\nText.\n",
        "content/gone.md": "---\ntitle: Gone\ndate: 2026-01-01\nexpiryDate: 2020-01-01\n---\nText.\n",
    })  # fmt: skip
    assert build(capsys, site)[0] == 0
    assert exists(site, "articles/now/index.html")
    for slug in ("later", "scheduled", "gone"):
        assert not exists(site, f"articles/{slug}/index.html"), slug
    assert "Later" not in read(site, "articles/index.html")
    assert build(capsys, site, "--future")[0] == 0
    assert exists(site, "articles/later/index.html") and exists(site, "articles/scheduled/index.html")
    assert not exists(site, "articles/gone/index.html")
    assert build(capsys, site, "--expired")[0] == 0
    assert exists(site, "articles/gone/index.html") and not exists(site, "articles/later/index.html")


def test_an_article_that_comes_due_is_published_by_the_next_build_with_no_other_change(site_factory, capsys):
    soon = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() + 3))
    site = site_factory({"terms/gpu.md": GPU, "content/soon.md": f"---\ntitle: Soon\ndate: {soon}\n---\nA GPU.\n"})
    past = time.time() - 10
    for path in site.rglob("*.md"):  # outside the up-to-date check's racy window
        os.utime(path, (past, past))
    assert build(capsys, site)[0] == 0
    assert not exists(site, "articles/soon/index.html")
    assert build(capsys, site)[1].rstrip().endswith("up to date)")
    time.sleep(3.5)
    code, out, _ = build(capsys, site)
    assert code == 0 and "up to date" not in out
    assert exists(site, "articles/soon/index.html")


def test_weight_orders_listings_before_the_date(site_factory, capsys):
    site = built(site_factory, capsys, {
        "content/newest.md": "---\ntitle: Newest\ndate: 2026-03-01\n---\nText.\n",
        "content/pinned.md": "---\ntitle: Pinned\ndate: 2025-01-01\nweight: 1\n---\nText.\n",
        "content/second.md": "---\ntitle: Second\ndate: 2024-01-01\nweight: 2\n---\nText.\n",
    })  # fmt: skip
    listing = read(site, "articles/index.html")
    assert listing.index("Pinned") < listing.index("Second") < listing.index("Newest")


def test_unsupported_hugo_keys_warn_once_per_key_and_others_pass_silently(site_factory, capsys):
    site = site_factory({
        "terms/gpu.md": GPU,
        **{f"content/p{i}.md": f"---\ntitle: P{i}\nlayout: wide\ntoc: true\nmyOwnParam: {i}\n---\nText.\n"
           for i in range(3)},
    })  # fmt: skip
    code, _, err = build(capsys, site)
    assert code == 0, err
    warnings = [line for line in err.splitlines() if "warning" in line]
    assert warnings == ["content/p0.md:3: warning: Hugo's 'layout' is not supported here: it is kept in params "
                        "and otherwise ignored (and 2 more files)"]  # fmt: skip


def test_a_glossary_already_kept_in_content_is_read_as_terms(site_factory, capsys):
    site = site_factory({
        "hugo.toml": 'title = "Docs"\n[params.glossary]\nterms_dir = "content/glossary"\n',
        "content/glossary/_index.md": "---\ntitle: Glossary\n---\nEvery term.\n",
        "content/glossary/gpu.md": GPU,
        "content/guide/setup.md": "---\ntitle: Setup\n---\nInstall the GPU driver.\n",
    })  # fmt: skip
    code, _, err = build(capsys, site)
    assert code == 0, err
    assert exists(site, "terms/gpu/index.html") and not exists(site, "glossary/gpu/index.html")
    assert 'href="/terms/gpu/"' in read(site, "guide/setup/index.html")  # Hugo's URL, the term linked


def test_terms_dir_outside_content_is_refused(site_factory, capsys):
    site = site_factory({"site.yaml": "terms_dir: glossary\n", "terms/gpu.md": GPU})
    code, _, err = build(capsys, site)
    assert code == 1
    assert "site.yaml:1: error: terms_dir 'glossary' must be terms or a folder inside content/" in err


def test_permalinks_from_site_yaml_use_hugos_tokens(site_factory, capsys):
    site = built(site_factory, capsys, {
        "site.yaml": "permalinks:\n  posts: /:year/:month/:day/:title/\n  '': /top/:filename/\n",
        "content/posts/deep-dive.md": "---\ntitle: A Deep Dive\ndate: 2026-03-07\n---\nA GPU.\n",
        "content/hello.md": "---\ntitle: Hello\n---\nHi.\n",
    })  # fmt: skip
    assert exists(site, "2026/03/07/a-deep-dive/index.html")
    assert exists(site, "top/hello/index.html")
    assert 'href="/2026/03/07/a-deep-dive/"' in read(site, "terms/gpu/index.html")  # backlinks follow the URL
    assert "/2026/03/07/a-deep-dive/" in read(site, "feed.xml") and "/top/hello/" in read(site, "sitemap.xml")


def test_hugos_disable_kinds_and_taxonomies_turn_pages_off_and_nothing_links_to_them(site_factory, capsys):
    from glossary_site.commands.link_check import broken_links

    site = built(site_factory, capsys, {
        "hugo.toml": 'title = "Quiet"\ndisableKinds = ["RSS", "sitemap", "section"]\n[taxonomies]\ncategory = "categories"\n',
        "content/posts/a.md": "---\ntitle: A\ndate: 2026-01-01\ntags: [gpu]\n---\nA GPU.\n",
    })  # fmt: skip
    out = site.parent / "out"
    for rel in ("feed.xml", "sitemap.xml", "tags/index.html", "tags/gpu/index.html", "posts/index.html",
                "categories/hardware/feed.xml"):  # fmt: skip
        assert not (out / rel).exists(), rel
    assert exists(site, "posts/a/index.html") and exists(site, "robots.txt")
    assert '<span class="tag" data-pagefind-filter="tag:gpu">#gpu</span>' in read(site, "posts/a/index.html")
    assert broken_links(out) == []


def test_an_unknown_kind_is_an_error_with_a_way_out(site_factory, capsys):
    site = site_factory({"site.yaml": "disable_kinds: [rss, taxonmy]\n", "terms/gpu.md": GPU})
    code, _, err = build(capsys, site)
    assert code == 1
    assert "site.yaml:1: error: disable_kinds: unknown kind 'taxonmy'. Did you mean 'taxonomy'?" in err


def test_check_reports_broken_images_refs_and_links_of_a_hugo_site_at_their_lines(site_factory, capsys):
    files = {
        "hugo.toml": 'title = "Blog"\nbaseURL = "https://example.org/b/"\n',
        "terms/gpu.md": GPU,
        "content/posts/trip/index.md": "---\ntitle: Trip\n---\nA GPU.\n\n![gone](missing.png)\n\n[old](/posts/nothing/)\n",
        "content/posts/other.md": "---\ntitle: Other\n---\nSee {{< ref \"posts/trp\" >}}.\n",
    }  # fmt: skip
    site = site_factory(files)
    code, _, err = run_cli(capsys, "check", site)
    assert code == 1
    assert "content/posts/other.md:4: error: ref to 'posts/trp' finds no page. Did you mean 'posts/trip'?" in err
    (site / "content/posts/other.md").write_text("---\ntitle: Other\n---\nSee {{< ref \"posts/trip\" >}}.\n")
    code, _, err = run_cli(capsys, "check", site)  # content that builds: then every link is checked
    assert code == 1
    assert "content/posts/trip/index.md:6: error: broken link 'missing.png' in posts/trip/index.html" in err
    assert "content/posts/trip/index.md:8: error: broken link '/b/posts/nothing/' in posts/trip/index.html" in err


HUGO = 'title = "Blog"\n'


def test_a_url_with_an_empty_part_is_refused_and_nothing_is_written_outside_the_output(site_factory, capsys, tmp_path):
    site = site_factory({"hugo.toml": HUGO, "terms/gpu.md": GPU, "content/posts/!!.md": "---\ntitle: Bangs\n---\nx\n"})
    code, _, err = build(capsys, site)
    assert code == 1
    assert "content/posts/!!.md:1: error: this article's URL '/posts//' has an empty or unsafe part" in err
    assert not (site.parent / "out").exists()


def test_a_top_level_bundle_and_an_articles_section_build_beside_our_listing(site_factory, capsys):
    site = built(site_factory, capsys, {
        "hugo.toml": HUGO,
        "content/about/index.md": "---\ntitle: About\n---\nAbout a GPU.\n",
        "content/articles/first.md": "---\ntitle: First\n---\nText.\n",
    })  # fmt: skip
    assert exists(site, "about/index.html") and exists(site, "articles/first/index.html")
    assert "First" in read(site, "articles/index.html")


def edited_and_rebuilt(site_factory, capsys, files, rel, text):
    """Build the site, then (outside the up-to-date check's racy window) edit `rel` and build again."""
    from test_up_to_date import age_inputs

    site = built(site_factory, capsys, files)
    age_inputs(site)
    (site / rel).write_text(text)
    assert build(capsys, site)[0] == 0
    return site


def test_an_alias_added_by_an_edit_is_published_by_the_next_build(site_factory, capsys):
    site = edited_and_rebuilt(site_factory, capsys, {"content/note.md": "---\ntitle: Note\n---\nA GPU.\n"},
                              "content/note.md", "---\ntitle: Note\naliases: [/old-note/]\n---\nA GPU.\n")
    assert 'content="0; url=/articles/note/"' in read(site, "old-note/index.html")


def test_a_site_shortcode_that_shows_the_config_follows_a_config_change(site_factory, capsys):
    site = edited_and_rebuilt(site_factory, capsys, {
        "site.yaml": "title: First name\n",
        "templates/shortcodes/sitename.html": "<b>{{ site.title }}</b>",
        "content/post.md": "---\ntitle: Post\n---\nThis is {{< sitename >}}.\n",
    }, "site.yaml", "title: Second name\n")  # fmt: skip
    assert "This is <b>Second name</b>." in read(site, "articles/post/index.html")


def test_refs_resolve_as_hugo_resolves_them(site_factory, capsys):
    site = built(site_factory, capsys, {
        "hugo.toml": HUGO,
        "content/posts/_index.md": "---\ntitle: Posts\n---\nStart with {{< ref \"posts/one.md\" >}}.\n",
        "content/posts/one.md": "---\ntitle: One\n---\n[two]({{< ref \"two.md\" >}}), [c]({{< ref \"c++\" >}}), "
                                "[here]({{< ref \"#part\" >}}), {{< relref \"../about.md\" >}}\n\n## Part\n",
        "content/posts/two.md": "---\ntitle: Two\n---\nText.\n",
        "content/notes/c++.md": "---\ntitle: C++\n---\nText.\n",
        "content/about.md": "---\ntitle: About\n---\nText.\n",
    })  # fmt: skip
    one = read(site, "posts/one/index.html")
    assert '<a href="/posts/two/">two</a>' in one and '<a href="/notes/c++/">c</a>' in one
    assert '<a href="#part">here</a>' in one and "/about/" in one
    assert 'Start with /posts/one/.' in read(site, "posts/index.html")
    assert run_cli(capsys, "check", site)[0] == 0  # check resolves the _index.md's ref as build does


def test_hugo_permalinks_tables_for_list_pages_are_ignored_and_a_bad_page_table_is_an_error(site_factory, capsys):
    site = built(site_factory, capsys, {
        "hugo.toml": HUGO + '[permalinks.page]\nposts = "/p/:slug/"\n[permalinks.section]\nposts = "/all/"\n',
        "content/posts/x.md": "---\ntitle: X\n---\nText.\n",
    })  # fmt: skip
    assert exists(site, "p/x/index.html")
    bad = site_factory({"site.yaml": "permalinks:\n  page: 3\n", "terms/gpu.md": GPU})
    code, _, err = run_cli(capsys, "build", bad, "--output", bad.parent / "bad-out")
    assert code == 1 and "site.yaml:2: error: permalinks: 'page' must be a table of section = pattern" in err


def test_shortcode_arguments_hugo_style_single_values_and_math_off_by_default(site_factory, capsys):
    site = built(site_factory, capsys, {
        "content/post.md": "---\ntitle: Post\ntags: solo\naliases: /before/\nweight: \"5\"\n---\n"
                           "Set `{{</* figure src=\"x\" */>}}` and $HOME/$USER stay.\n\n"
                           "{{< highlight text >}}\n{{< details summary=\"C:\\path\\to\" >}}\n{{< /highlight >}}\n",
    })  # fmt: skip
    page = read(site, "articles/post/index.html")
    assert "<code>{{&lt; figure src=&quot;x&quot; &gt;}}</code>" in page  # an escaped call in code shows as the call
    assert "$HOME/$USER stay" in page and "<math" not in page
    assert 'href="/tags/solo/"' in page and exists(site, "before/index.html")


def test_a_shortcode_a_library_refuses_is_an_error_at_its_line(site_factory, capsys):
    site = site_factory({"terms/gpu.md": GPU, "content/post.md": "---\ntitle: P\n---\nA GPU.\n\n{{< qr text=\"x\" level=\"z\" />}}\n"})
    code, _, err = build(capsys, site)
    assert code == 1
    assert "content/post.md:6: error: shortcode 'qr' cannot render these arguments: Illegal error correction level" in err
    assert "Traceback" not in err


def test_quoted_arguments_follow_hugos_rules():
    from glossary_site.linking.shortcode_syntax import read_tag

    tag = read_tag('{{< x "C:\\path\\to" "say \\"hi\\"" `raw "as is"` key=word other="two words" />}}', 0)
    assert tag.args == ("C:\\path\\to", 'say "hi"', 'raw "as is"')
    assert dict(tag.params) == {"key": "word", "other": "two words"} and tag.self_closing
    assert read_tag('{{< x "never closed >}}', 0).error == "shortcode 'x': a quoted argument is never closed"
    assert read_tag("{{</* figure src=x */>}}", 0).escaped == "{{< figure src=x >}}"


def test_papermods_shortcodes_and_third_party_embeds_render(site_factory, capsys):
    site = site_factory({"terms/gpu.md": GPU, "content/post.md": (
        "---\ntitle: P\n---\n"
        "{{< ltr >}}Left *to* right{{< /ltr >}}\n\n{{< rtl >}}مرحبا{{< /rtl >}}\n\n"
        "{{< audio src=\"/a.mp3\" >}}\n\n{{< video src=\"/v.mp4\" >}}\n\nText {{< inTextImg url=\"/i.png\" height=\"16\" >}} here.\n\n"
        "{{< x user=\"someone\" id=\"123\" >}}\n\n{{< gist someone abc123 >}}\n\n{{< instagram BWNjjyYFxVx >}}\n\n"
        "{{< now.inline >}}{{ now }}{{< /now.inline >}}\n")})  # fmt: skip
    code, _, err = build(capsys, site)
    assert code == 0, err
    page = read(site, "articles/post/index.html")
    assert '<div dir="ltr"><p>Left <em>to</em> right</p>\n</div>' in page and '<div dir="rtl"><p>مرحبا</p>' in page
    assert '<audio controls preload="metadata" src="/a.mp3"></audio>' in page
    assert '<video controls preload="metadata" src="/v.mp4"></video>' in page
    assert '<img class="in-text-img" src="/i.png" height="16">' in page
    assert 'href="https://x.com/someone/123"' in page and 'href="https://gist.github.com/someone/abc123"' in page
    assert 'href="https://www.instagram.com/p/BWNjjyYFxVx"' in page and "{{ now }}" not in page
    warnings = [line for line in err.splitlines() if ": warning: " in line]
    assert [w.split(": warning: ")[0] for w in warnings] == ["content/post.md:14", "content/post.md:16",
                                                            "content/post.md:18", "content/post.md:20"]  # fmt: skip
    assert "inline shortcode 'now.inline' holds Go template code" in warnings[-1]


def test_the_summary_divider_never_reaches_the_page_but_stays_in_code(site_factory, capsys):
    site = built(site_factory, capsys, {
        "content/alone.md": "---\ntitle: Alone\n---\nShort opening about a GPU.\n\n<!--more-->\n\nMore text.\n",
        "content/within.md": "---\ntitle: Within\n---\nAn opening line.\n<!--more-->\nThe rest, and <!--more--> again.\n\n"
                             "`<!--more-->` is how Hugo marks it:\n\n```\n<!--more-->\n```\n",
    })  # fmt: skip
    alone, within = read(site, "articles/alone/index.html"), read(site, "articles/within/index.html")
    assert "more--" not in alone and "<p>More text.</p>" in alone
    assert "<p>An opening line.</p>\n<p>The rest, and  again.</p>" in within  # the divider's line ends a paragraph
    assert within.count("&lt;!--more--&gt;") == 2  # in the code span and the code block
    edges = built(site_factory, capsys, {"content/edges.md": "---\ntitle: Edges\n---\n> quote\n<!--more-->\nafter\n\n"
                                         "- a\n  <!--more-->\n  b\n\nIntro.<!--more-->Rest.\n\n## Part <!--more-->\n"})
    page = read(edges, "articles/edges/index.html")
    assert "<p>quote</p>\n</blockquote>\n<p>after</p>" in page  # it ends a quote as an HTML block would
    assert "<li>a\nb</li>" in page and "<p>Intro. Rest.</p>" in page  # words stay apart
    assert '<h2 id="part">Part</h2>' in page and "more--" not in page


def test_hugos_unsafe_renderer_setting_passes_raw_html_through(site_factory, capsys):
    post = "---\ntitle: Raw\ndate: 2024-01-02\n---\nA <b>bold</b> word and <!--more--> no divider.\n"
    site = built(site_factory, capsys, {"hugo.toml": 'title = "Raw"\n[markup.goldmark.renderer]\n  unsafe = true\n',
                                        "content/posts/raw.md": post})  # fmt: skip
    page = read(site, "posts/raw/index.html")
    assert "A <b>bold</b> word and  no divider." in page
    plain = built(site_factory, capsys, {"hugo.toml": 'title = "Plain"\n', "content/posts/raw.md": post})
    assert "A &lt;b&gt;bold&lt;/b&gt; word" in read(plain, "posts/raw/index.html")


def test_markdownify_leaves_one_paragraph_bare_as_hugo_does(site_factory, capsys):
    site = built(site_factory, capsys, {
        "templates/shortcodes/em.html": "{{ inner | markdownify }}",
        "content/post.md": "---\ntitle: Post\n---\nText {{< em >}}*word*{{< /em >}} more.\n\n"
                           "{{< em >}}\nOne.\n\nTwo.\n{{< /em >}}\n",
    })  # fmt: skip
    page = read(site, "articles/post/index.html")
    assert "<p>Text <em>word</em> more.</p>" in page
    assert "<p>One.</p>\n<p>Two.</p>" in page


def test_errors_of_section_texts_come_in_the_same_run_as_the_articles(site_factory, capsys):
    site = site_factory({"hugo.toml": HUGO, "terms/gpu.md": GPU,
                         "content/posts/_index.md": "---\ntitle: Posts\n---\nSee [[nowhere-one]].\n",
                         "content/posts/a.md": "---\ntitle: A\n---\nSee [[nowhere-two]].\n"})  # fmt: skip
    code, _, err = build(capsys, site)
    assert code == 1 and "Traceback" not in err
    assert "content/posts/_index.md:4: error: reference [[nowhere-one]] names no term" in err
    assert "content/posts/a.md:4: error: reference [[nowhere-two]] names no term" in err
    site.joinpath("terms/bad.md").write_text("---\ntitle: Bad\n---\nNo summary.\n")  # an error found before linking
    code, _, err = build(capsys, site)
    assert "terms/bad.md" in err and "nowhere-one" in err and "nowhere-two" in err


def test_a_page_where_the_search_page_goes_is_named_with_a_way_out(site_factory, capsys):
    site = site_factory({"hugo.toml": HUGO, "terms/gpu.md": GPU, "content/search.md": "---\ntitle: Search\n---\nFind.\n"})
    code, _, err = build(capsys, site)
    assert code == 1 and "Traceback" not in err
    assert "content/search.md: error: output path 'search/index.html' is where this site publishes a page of its own" in err
    assert "set 'search: false'" in err and "index:" not in err
    site.joinpath("content/tags").mkdir()
    site.joinpath("content/tags/_index.md").write_text("---\ntitle: Tags\n---\nAll of them.\n")  # claimed after ours
    code, _, err = build(capsys, site)
    assert "content/tags/_index.md: error: output path 'tags/index.html' is where this site publishes a page of its own" in err
    site.joinpath("content/tags/_index.md").unlink()
    site.joinpath("hugo.toml").write_text(HUGO + "[params.glossary]\nsearch = false\n")
    assert build(capsys, site)[0] == 0
    assert "Find." in read(site, "search/index.html")


def test_refs_find_pages_whatever_the_case_and_from_a_language_folder(site_factory, capsys):
    site = built(site_factory, capsys, {
        "hugo.toml": HUGO,
        "content/posts/Big-Name.md": "---\ntitle: Big name\n---\nText.\n",
        "content/posts/linker.md": "---\ntitle: Linker\n---\nSee [it]({{< relref \"/posts/big-name.md\" >}}).\n",
    })  # fmt: skip
    assert '<a href="/posts/big-name/">it</a>' in read(site, "posts/linker/index.html")
    multi = built(site_factory, capsys, {
        "hugo.toml": 'title = "M"\n[languages.en]\n  contentDir = "content/en"\n',
        "content/en/docs/guide/other.md": "---\ntitle: Other\n---\nSee the [setup]({{< relref \"setup\" >}}) page.\n",
        "content/en/docs/guide/setup.md": "---\ntitle: Setup\n---\nInstall.\n",
        "content/en/docs/ref/setup.md": "---\ntitle: Ref setup\n---\nAnother.\n",
    })  # fmt: skip
    assert '<a href="/docs/guide/setup/">setup</a>' in read(multi, "docs/guide/other/index.html")  # its own folder's


def test_hugos_build_render_never_publishes_no_page_and_other_build_options_warn(site_factory, capsys):
    site = site_factory({"hugo.toml": HUGO, "terms/gpu.md": GPU,
                         "content/posts/never.md": "---\ntitle: Never\n_build:\n  render: never\n---\nA GPU.\n",
                         "content/posts/link.md": "+++\ntitle = \"Link\"\n[build]\nrender = \"link\"\n+++\nA GPU.\n",
                         "content/posts/unlisted.md": "---\ntitle: Unlisted\nbuild:\n  list: never\n---\nA GPU.\n",
                         "content/posts/cased.md": "---\ntitle: Cased\nBuild:\n  Render: Never\n---\nA GPU.\n",
                         "content/posts/old.md": "---\ntitle: Old\n_build:\n  list: false\n---\nA GPU.\n"})  # fmt: skip
    code, _, err = build(capsys, site)
    assert code == 0, err
    assert not exists(site, "posts/never/index.html") and not exists(site, "posts/link/index.html")
    assert "Never" not in read(site, "articles/index.html") and "/posts/never/" not in read(site, "terms/gpu/index.html")
    assert exists(site, "posts/unlisted/index.html") and exists(site, "posts/old/index.html")
    assert not exists(site, "posts/cased/index.html")
    assert "content/posts/old.md:3: warning: Hugo's '_build' is not supported here" in err
    assert "content/posts/unlisted.md:3: warning: Hugo's 'build' is not supported here" in err


def test_a_language_content_dir_this_tool_does_not_read_is_said(site_factory, capsys):
    site = site_factory({"hugo.toml": 'title = "M"\ndefaultContentLanguage = "en"\n[languages.en]\n  contentDir = "content.en"\n'
                                      '[languages.zh]\n  contentDir = "content/zh"\n',
                         "terms/gpu.md": GPU, "content.en/post.md": "---\ntitle: Post\n---\nA GPU.\n",
                         "content/zh/post.md": "---\ntitle: 帖子\n---\n文字。\n"})  # fmt: skip
    code, _, err = build(capsys, site)
    assert code == 0 and "Traceback" not in err
    assert "hugo.toml:3: warning: languages: contentDir 'content.en' of 'en' is not read" in err
    assert "content/zh" not in err  # a folder it reads is not mentioned


def test_a_named_parameter_a_call_leaves_out_is_empty_as_hugos_get_gives(site_factory, capsys):
    site = built(site_factory, capsys, {
        "templates/shortcodes/card.html": '<a href="{{ params.url }}" class="{{ params.kind | default(\'note\') }}">'
                                          '{{ params.title }}|{{ params.title or "untitled" }}|{{ params.url is defined }}</a>',
        "content/post.md": '---\ntitle: Post\n---\n{{< card url="https://example.org/" tittle="Typo" >}}\n',
    })  # fmt: skip
    assert '<a href="https://example.org/" class="note">|untitled|True</a>' in read(site, "articles/post/index.html")


def test_param_falls_back_to_the_sites_params_and_follows_their_edits(site_factory, capsys):
    config = 'title = "P"\n[params]\n  version = "v1.2.3"\n  [params.grpc_vers]\n    core = "v1.82.0"\n'
    site = built(site_factory, capsys, {
        "hugo.toml": config,
        "content/posts/a.md": "---\ntitle: A\n---\nRelease {{< param version >}}, core {{< param \"grpc_vers.core\" >}}.\n",
        "content/posts/b.md": "---\ntitle: B\nversion: mine\n---\nRelease {{< param version >}}.\n",
        "content/posts/c.md": "---\ntitle: C\n---\nNo call here.\n",
    })  # fmt: skip
    assert "Release v1.2.3, core v1.82.0." in read(site, "posts/a/index.html")
    assert "Release mine." in read(site, "posts/b/index.html")  # the page's own first
    site.joinpath("hugo.toml").write_text(config.replace("v1.2.3", "v2.0.0"))
    assert build(capsys, site)[0] == 0
    assert "Release v2.0.0, core v1.82.0." in read(site, "posts/a/index.html")  # the kept body is not reused
    site.joinpath("content/posts/c.md").write_text("---\ntitle: C\n---\nNow {{< param version >}}.\n")
    assert build(capsys, site)[0] == 0
    assert "Now v2.0.0." in read(site, "posts/c/index.html")
    calm = built(site_factory, capsys, {"hugo.toml": config, "content/posts/d.md": "---\ntitle: D\n---\nNo call.\n"})
    calm.joinpath("content/posts/d.md").write_text("---\ntitle: D\n---\nFirst {{< param version >}}.\n")
    assert build(capsys, calm)[0] == 0  # the site's first call, in an edit: its params join the link context
    assert "First v1.2.3." in read(calm, "posts/d/index.html")
    site.joinpath("content/posts/c.md").write_text("---\ntitle: C\n---\nNow {{< param nothing >}}.\n")
    code, _, err = build(capsys, site)
    assert code == 1 and "content/posts/c.md:4: error: param 'nothing' is not in this page's front matter nor" in err


def test_a_hugo_site_keeps_its_feed_address(site_factory, capsys):
    site = built(site_factory, capsys, {"hugo.toml": HUGO, "content/posts/a.md": "---\ntitle: A\ndate: 2024-01-02\n---\nA GPU.\n"})
    feed, hugo = read(site, "feed.xml"), read(site, "index.xml")
    assert "<title>A</title>" in hugo and hugo.replace("index.xml", "feed.xml") == feed  # the same feed, its own address
    site.joinpath("hugo.toml").unlink()
    site.joinpath("site.yaml").write_text("title: Own\n")  # a site of this tool's own: its feed only
    assert build(capsys, site)[0] == 0
    assert exists(site, "feed.xml") and not exists(site, "index.xml")
    site.joinpath("site.yaml").unlink()
    site.joinpath("hugo.toml").write_text(HUGO + 'disableKinds = ["RSS"]\n')
    assert build(capsys, site)[0] == 0
    assert not exists(site, "feed.xml") and not exists(site, "index.xml")
