"""Languages of a multilingual site: the `languages` a site declares, which language a source
is written in, and the path its slug and URL come from.

Hugo's two layouts are read: a folder per language (`content/ja/posts/x.md`,
`terms/ja/kv-cache.md`) and a suffix per file (`content/posts/x.ja.md`, `terms/gpu.ar.md`).
Anything else is in the default language. Only declared languages count: in a site without
`languages`, `content/ja/` is a section like any other.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any, Callable

from .diagnostics import Diagnostics, SourcePos

_CODE = re.compile(r"^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$")
"""A BCP 47 tag as sites write them: 'ja', 'pt-BR', 'zh-Hant'."""


@dataclass(frozen=True)
class Language:
    code: str
    name: str
    """As the language switcher shows it: '日本語'."""
    weight: int = 0
    title: str = ""
    """The site's title in this language ('' : the site's)."""
    description: str = ""
    direction: str = ""
    """'rtl' or 'ltr' when declared; '' : from the language (Babel)."""
    params: dict[str, Any] = field(default_factory=dict, hash=False, compare=True)


def language_prefix(code: str, default: str) -> str:
    """Where a language's pages go: '' for the default language, else '<code>/' lower-cased,
    as Hugo writes 'pt-BR' at /pt-br/."""
    return "" if code == default else f"{code.lower()}/"


def primary_subtag(code: str) -> str:
    """'en-GB' -> 'en', 'zh_Hant' -> 'zh', '' -> 'en' (the site's default)."""
    return code.replace("_", "-").split("-")[0].strip().lower() or "en"


def is_language_code(text: str) -> bool:
    return bool(_CODE.match(text))


def looks_like_language(name: str) -> bool:
    """Whether a folder or file suffix names a language Babel knows ('fr', 'pt-br'), so that
    an undeclared one can be reported instead of becoming a section or a stray page."""
    if not is_language_code(name.lower() if "-" not in name else name):
        return False
    from babel import Locale, UnknownLocaleError  # only multilingual sites pay for the import

    try:
        Locale.parse(name.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return False
    return True


def language_of(rel: str, codes: tuple[str, ...], default: str) -> tuple[str, str]:
    """(language, the path without the language) of a source: 'content/ja/posts/x.md' ->
    ('ja', 'content/posts/x.md'); 'terms/gpu.ar.md' -> ('ar', 'terms/gpu.md')."""
    parts = rel.split("/")
    if len(parts) > 2 and parts[1] in codes:
        return parts[1], "/".join([parts[0], *parts[2:]])
    stem, _, ext = parts[-1].rpartition(".")
    base, dot, suffix = stem.rpartition(".")
    if dot and base and suffix in codes:
        return suffix, "/".join([*parts[:-1], f"{base}.{ext}"])
    return default, rel


def undeclared(rel: str, codes: tuple[str, ...], exists: Callable[[str], bool]) -> str:
    """The language a source's folder or suffix names that the site does not declare ('' if
    none). A folder right under content/ or terms/ named like a language is one; a suffix only
    where the file without it exists too (`x.de.md` beside `x.md`): `socket.io.md` is no Ido."""
    parts = rel.split("/")
    if len(parts) > 2 and parts[1] not in codes and looks_like_language(parts[1]):
        return parts[1]
    stem, _, ext = parts[-1].rpartition(".")
    base, dot, suffix = stem.rpartition(".")
    if dot and base and suffix not in codes and looks_like_language(suffix) and exists("/".join([*parts[:-1], f"{base}.{ext}"])):
        return suffix
    return ""


def translation_key(rel_without_language: str, written: str) -> str:
    """What pairs translations: `translationKey` when written (as in Hugo), else the path
    without the language and the extension ('content/posts/x', 'terms/gpu'; a leaf bundle's
    folder for its index.md)."""
    if written.strip():
        return written.strip()
    path = PurePosixPath(rel_without_language)
    stem = path.with_suffix("")
    return str(stem.parent) if stem.name == "index" else str(stem)


def read_languages(value: dict, rel: str, lines: dict[str, int], diags: Diagnostics) -> tuple[Language, ...]:
    """site.yaml's `languages:` (code -> name or {name, weight, title, description,
    direction, params}), or Hugo's (`languageName`, `languageDirection`, `weight`, `title`,
    `params`), ordered by weight then code."""
    found = []
    for code, spec in value.items():
        pos = SourcePos(rel, lines.get(f"languages.{code}", lines.get("languages", 0)))
        code = str(code)
        if not is_language_code(code):
            diags.error(pos, f"languages: '{code}' is not a language code", "Use a code such as en, ja, pt-BR.")
            continue
        if isinstance(spec, str):
            spec = {"name": spec}
        if spec is None:
            spec = {}
        if not isinstance(spec, dict):
            diags.error(pos, f"languages: '{code}' must be a name or a mapping", f"Write {code}: {{name: ...}}")
            continue
        get = (lambda *keys: next((spec[k] for k in keys if k in spec), None))
        for key in ("name", "languageName", "title", "description"):
            if key in spec and not isinstance(spec[key], (str, int, float)):
                diags.error(pos, f"languages: '{key}' of '{code}' must be text", f"Write {key}: ...")
                spec = {k: v for k, v in spec.items() if k != key}
        name = get("name", "languageName") or code
        weight = get("weight") or 0
        direction = str(get("direction", "languageDirection") or "").lower()
        if direction not in ("", "ltr", "rtl"):
            diags.error(pos, f"languages: direction of '{code}' must be ltr or rtl, not '{direction}'")
            direction = ""
        if isinstance(weight, bool) or not isinstance(weight, int):
            diags.error(pos, f"languages: weight of '{code}' must be a whole number")
            weight = 0
        folder = get("contentDir")
        if isinstance(folder, str) and posixpath.normpath(folder.strip() or ".") not in ("content", f"content/{code}"):
            diags.warning(pos, f"languages: contentDir '{folder}' of '{code}' is not read: its files are not published",
                          f"This tool reads a language's files from content/{code}/ (or name.{code}.md in content/): "
                          f"move them there.")  # fmt: skip
        params = get("params") if isinstance(get("params"), dict) else {}
        found.append(Language(code, str(name), weight, str(get("title") or ""),
                              str(get("description") or params.get("description") or ""), direction, dict(params)))  # fmt: skip
    return tuple(sorted(found, key=lambda lang: (lang.weight, lang.code)))
