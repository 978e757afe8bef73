"""Read a Hugo site's configuration (hugo.toml, hugo.yaml, hugo.json, or the older config.*)
into the keys of site.yaml that it maps to.

What maps: `title`, `baseURL` (its path becomes the base path), `languageCode`, `languages`
and `defaultContentLanguage`, `params` (the site's params; `params.description` or
`description` is its description), `permalinks`, `markup.goldmark.renderer.unsafe`
(`unsafe_html`), Goldmark's passthrough extension (`math`), and the glossary's own options under
`params.glossary` (any key of site.yaml, such as `categories` or `terms_dir`). A site read
this way publishes its articles where Hugo does (`article_urls: hugo`). Keys of Hugo's that
change nothing here (menus, theme, outputs, markup ...) are ignored.
"""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path
from typing import Any

import yaml

from .diagnostics import Diagnostics, SourcePos
from .frontmatter import UniqueKeyLoader

CONFIG_FILES = tuple(f"{folder}{name}.{ext}" for folder in ("", "config/_default/") for name in ("hugo", "config")
                     for ext in ("toml", "yaml", "yml", "json"))  # fmt: skip
"""Where Hugo looks for its configuration, in its order."""


HUGO_NAMES = {"base_url": "baseURL", "language": "languageCode", "description": "params.description",
              "disable_kinds": "disableKinds"}
"""site.yaml's names -> Hugo's, for messages about a value read from Hugo's configuration."""


def find_hugo_config(root: Path) -> str | None:
    return next((name for name in CONFIG_FILES if (root / name).is_file()), None)


def read_hugo_config(root: Path, rel: str, diags: Diagnostics) -> tuple[dict[str, Any], dict[str, int]]:
    """(site.yaml keys, key -> line) from Hugo's configuration file `rel`."""
    loaded = _load(root / rel, rel, diags)
    if loaded is None:
        return {}, {}
    data, lines = loaded
    params = data.get("params") if isinstance(data.get("params"), dict) else {}
    mapped: dict[str, Any] = {"article_urls": "hugo"}
    where: dict[str, int] = {}
    for ours, value, key in (("title", data.get("title"), "title"), ("base_url", data.get("baseURL") or data.get("baseurl"), "baseURL"),
                             ("language", data.get("languageCode"), "languageCode"),
                             ("description", params.get("description", data.get("description")), "description"),
                             ("permalinks", data.get("permalinks"), "permalinks"),
                             ("languages", data.get("languages"), "languages")):  # fmt: skip
        if value not in (None, ""):
            mapped[ours] = value
            where[ours] = lines.get(key, 0)
    if isinstance(data.get("languages"), dict):  # multilingual: languageCode is only <html lang> there
        mapped["language"] = data.get("defaultContentLanguage") or "en"  # Hugo's default when unset
        where["language"] = lines.get("defaultContentLanguage", lines.get("languages", 0))
    passthrough = _dig(data, "markup", "goldmark", "extensions", "passthrough")
    if isinstance(passthrough, dict) and passthrough.get("enable") is True:
        mapped["math"] = True  # the delimiters Hugo passes through are the ones rendered here
    if _dig(data, "markup", "goldmark", "renderer", "unsafe") is True:
        mapped["unsafe_html"] = True  # raw HTML in Markdown passes through, as Hugo lets it
        where["unsafe_html"] = lines.get("markup", 0)
    kinds = list(data.get("disableKinds") or []) if isinstance(data.get("disableKinds"), list) else []
    taxonomies = data.get("taxonomies")
    if isinstance(taxonomies, dict) and "tags" not in taxonomies.values():
        kinds += ["taxonomy", "term"]  # the site has no tags taxonomy: no tag pages
    if kinds:
        mapped["disable_kinds"] = sorted({str(k).lower() for k in kinds})
        where["disable_kinds"] = lines.get("disableKinds", lines.get("taxonomies", 0))
    own = {key: value for key, value in params.items() if key != "glossary"}
    if own:  # what `param` and the templates' site.params read, as in Hugo
        mapped["params"] = own
        where["params"] = lines.get("params", 0)
    glossary = params.get("glossary")
    if isinstance(glossary, dict):
        mapped.update(glossary)
        where.update({k: lines.get("params", 0) for k in glossary})
    return mapped, where


def _dig(data: Any, *keys: str) -> Any:
    for key in keys:
        data = data.get(key) if isinstance(data, dict) else None
    return data


def _load(path: Path, rel: str, diags: Diagnostics) -> tuple[dict, dict[str, int]] | None:
    """(data, key -> line), or None when the file cannot be read (reported)."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        diags.error(SourcePos(rel), f"cannot read Hugo's configuration: {exc}")
        return None
    data = read_mapping(text, rel, diags)
    return None if data is None else (data, _key_lines(text))


def read_mapping(text: str, rel: str, diags: Diagnostics) -> dict | None:
    """A configuration file's text (TOML, JSON or YAML, by `rel`'s ending) as a mapping; None
    when it is not one (reported at its line)."""
    try:
        if rel.endswith(".toml"):
            data = tomllib.loads(text)
        elif rel.endswith(".json"):
            data = json.loads(text)
        else:
            data = yaml.load(text, Loader=UniqueKeyLoader) or {}
    except tomllib.TOMLDecodeError as exc:
        diags.error(SourcePos(rel, _toml_line(str(exc))), f"invalid TOML: {exc}")
        return None
    except json.JSONDecodeError as exc:
        diags.error(SourcePos(rel, exc.lineno), f"invalid JSON: {exc.msg}")
        return None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        diags.error(SourcePos(rel, mark.line + 1 if mark else 0), f"invalid YAML: {exc.problem}")
        return None
    if not isinstance(data, dict):
        diags.error(SourcePos(rel, 1), f"{rel} must be a mapping of keys to values")
        return None
    return data


def _key_lines(text: str) -> dict[str, int]:
    """The first line naming each key (TOML `key =` / `[table]`, YAML `key:`, JSON `"key":`)."""
    lines: dict[str, int] = {}
    for number, line in enumerate(text.split("\n"), start=1):
        stripped = line.strip().strip("[]").strip('"')
        for sep in ("=", ":", '"'):
            key = stripped.split(sep, 1)[0].strip().strip('"')
            if key and " " not in key:
                lines.setdefault(key, number)
                lines.setdefault(key.split(".")[0], number)
                break
    return lines


def _toml_line(message: str) -> int:
    match = re.search(r"line (\d+)", message)
    return int(match.group(1)) if match else 0
