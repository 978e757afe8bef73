"""The theme's own words in the site's language: its strings files, merged, and the `T` the
templates call.

The theme ships `theme/i18n/<lang>.yaml` (Hugo's i18n format: `key: text`, or for a count
`key: {one: "...", other: "..."}` with a `{count}` placeholder); a site overrides or adds
strings in `SITE/i18n/<lang>.yaml`. For each key the first of these that has it wins: the
site's file for the language, the theme's, the same two for the language without its region
(`pt` for `pt-BR`), then the two English files. Plural forms follow the language's CLDR rules
(Babel), dates its long format (or the strings' `date_format`), and a language written right
to left gives `direction == "rtl"`. A language Babel does not know is formatted as English.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from babel import Locale, UnknownLocaleError
from babel.dates import format_date
from jinja2 import TemplateRuntimeError
from markupsafe import Markup, escape

from ..content.diagnostics import Diagnostics, SourcePos, did_you_mean
from ..content.digests import digest
from ..content.frontmatter import UniqueKeyLoader
from ..content.hugo_config import find_hugo_config, read_mapping
from .templates import THEME

FOLDER = "i18n"
FALLBACK = "en"
PLURAL_FORMS = ("zero", "one", "two", "few", "many", "other")
"""CLDR's plural categories; `other` is required in every plural string."""
DATE_STYLES = ("short", "medium", "long", "full")
DATE_FORMAT = "date_format"
"""The key naming how dates are shown: one of DATE_STYLES, or a CLDR pattern ('yyyy-MM-dd')."""

_PLACEHOLDER = re.compile(r"\{([A-Za-z_]\w*)\}")
_HUGO_PLACEHOLDER = re.compile(r"\{\{-?\s*\.(\w*)\s*-?\}\}")
"""Hugo's `{{ .Count }}` (and `{{ . }}`), read as `{count}`: a Hugo theme's strings work as they are."""
_TEMPLATE_KEY = re.compile(r"""\bT(?:\.forms|\.text)?\(\s*['"]([^'"]+)['"]""")
"""A key a site's own template asks for (`T('key'`): a key its strings files may add."""

Text = str | dict[str, str]
"""One string: text, or its plural forms (category -> text)."""


@dataclass(frozen=True)
class Strings:
    """The strings in effect for one language; called from templates as `T('key', count=n, name=...)`."""

    language: str
    """The site's language, as configured."""
    locale: Locale
    """Babel's locale for it (English when Babel does not know the language)."""
    texts: dict[str, Text]
    """Key -> text or plural forms, merged from the site's and the theme's files."""
    origin: dict[str, str] = field(default_factory=dict)
    """Key -> the file its text came from, for messages."""
    digest: str = ""
    """A digest of all of it: part of every template's digest, so an edited string re-renders its pages."""

    def __call__(self, key: str, count: int | None = None, **values: Any) -> Markup:
        """The text of `key` (the plural form for `count`), HTML-escaped, with each `{name}`
        replaced by its escaped value (Markup values, such as links, go in as they are)."""
        text = self._pick(key, count)
        if count is not None:
            values.setdefault("count", count)
        return Markup(_PLACEHOLDER.sub(lambda m: str(escape(values[m[1]])) if m[1] in values else m[0], str(escape(text))))

    def text(self, key: str, count: int | None = None, **values: Any) -> str:
        """The plain text (not escaped): for a script's JSON, which the page escapes itself."""
        text = self._pick(key, count)
        if count is not None:
            values.setdefault("count", count)
        return _PLACEHOLDER.sub(lambda m: str(values[m[1]]) if m[1] in values else m[0], text)

    def forms(self, key: str) -> dict[str, str]:
        """Every plural form of `key` (for a script, which picks one with Intl.PluralRules)."""
        value = self._get(key)
        return dict(value) if isinstance(value, dict) else {"other": value}

    def date(self, value: dt.date | None) -> str:
        """A date as a reader of the language writes it (machine-readable dates stay ISO)."""
        if value is None:
            return ""
        day = value.date() if isinstance(value, dt.datetime) else value
        return format_date(day, _date_format(self.texts.get(DATE_FORMAT)), locale=self.locale)

    @property
    def direction(self) -> str:
        """'rtl' for a language written right to left (Arabic, Hebrew, Persian, Urdu ...), else 'ltr'."""
        return "rtl" if self.locale.character_order == "right-to-left" else "ltr"

    def _get(self, key: str) -> Text:
        try:
            return self.texts[key]
        except KeyError:
            raise TemplateRuntimeError(
                f"no string '{key}' for language '{self.language}' in the theme or the site's {FOLDER}/: "
                f"add it to {FOLDER}/{FALLBACK}.yaml. {did_you_mean(key, self.texts)}".rstrip()
            ) from None

    def _pick(self, key: str, count: int | None) -> str:
        value = self._get(key)
        if not isinstance(value, dict):
            return value
        form = self.locale.plural_form(abs(count)) if count is not None else "other"
        return value.get(form, value["other"])


def _date_format(value: Any) -> str:
    return value if isinstance(value, str) and value.strip() else "long"


def parse_locale(language: str) -> Locale | None:
    """Babel's locale for a language code ('ja', 'pt-BR', 'en_us'); None when it knows none."""
    try:
        return Locale.parse(language.replace("_", "-"), sep="-")
    except (UnknownLocaleError, ValueError, TypeError):
        return None


def language_chain(language: str) -> list[str]:
    """The strings files' names to look in, in order: the language, without its region, English."""
    names = [language, language.lower(), re.split(r"[-_]", language)[0].lower(), FALLBACK]
    return [name for i, name in enumerate(names) if name and name not in names[:i]]


def load_strings(root: Path, language: str, diags: Diagnostics | None = None) -> Strings:
    """The strings of `language` for the site at `root`: problems in its files go to `diags`
    (errors at their line: the build stops; unknown keys are warnings)."""
    diags = diags if diags is not None else Diagnostics()
    locale = parse_locale(language)
    if locale is None:
        diags.warning(SourcePos(_config_file(root)),
                      f"language '{language}' is not one Babel knows: dates and plural forms follow English",
                      "Use a language code such as 'ja', 'de' or 'pt-BR'.")  # fmt: skip
        locale = Locale.parse(FALLBACK)
    english = _read(THEME / FOLDER / f"{FALLBACK}.yaml", f"theme/{FOLDER}/{FALLBACK}.yaml", diags, None)
    known = set(english) | _template_keys(root / "templates")
    texts: dict[str, Text] = {}
    origin: dict[str, str] = {}
    for name in language_chain(language):
        for folder, label in ((root / FOLDER, FOLDER), (THEME / FOLDER, f"theme/{FOLDER}")):
            path = _strings_file(folder, name)
            if path is None:
                continue
            rel = f"{label}/{path.name}"
            loaded = english if rel == f"theme/{FOLDER}/{FALLBACK}.yaml" else _read(path, rel, diags, known, english)
            for key, value in loaded.items():
                if key not in texts:
                    texts[key], origin[key] = value, rel
    return Strings(language, locale, texts, origin, digest("strings", str(locale), sorted(texts.items(), key=lambda kv: kv[0])))


def _config_file(root: Path) -> str:
    return "site.yaml" if (root / "site.yaml").is_file() else find_hugo_config(root) or "site.yaml"


def _strings_file(folder: Path, name: str) -> Path | None:
    for ext in ("yaml", "yml", "toml", "json"):  # Hugo's i18n files are often TOML
        path = folder / f"{name}.{ext}"
        if path.is_file():
            return path
    return None


def _template_keys(folder: Path) -> set[str]:
    """The keys a site's own templates ask for: its strings files may define them."""
    keys: set[str] = set()
    if not folder.is_dir():
        return keys
    for path in folder.rglob("*"):
        if path.is_file():
            try:
                keys.update(_TEMPLATE_KEY.findall(path.read_text(encoding="utf-8", errors="replace")))
            except OSError:
                continue
    return keys


def _read(path: Path, rel: str, diags: Diagnostics, known: set[str] | None,
          english: dict[str, Text] | None = None) -> dict[str, Text]:  # fmt: skip
    """One strings file's valid strings; each problem reported at its line. `known`: the keys
    the theme and the site's templates use (None: all, for the theme's English file)."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        diags.error(SourcePos(rel), f"cannot read the strings file: {exc}", "Save it as UTF-8 text.")
        return {}
    data = read_mapping(text, rel, diags)
    if data is None:
        return {}
    if rel.endswith((".yaml", ".yml")):
        node = yaml.compose(text, Loader=UniqueKeyLoader)  # it parsed: now the line of each key
        lines = {str(k.value): k.start_mark.line + 1 for k, _ in node.value} if isinstance(node, yaml.MappingNode) else {}
    else:
        lines = {key: number for number, line in enumerate(text.split("\n"), 1)
                 for key in [line.strip().strip("[]").split("=")[0].split(":")[0].strip().strip('"')] if key}  # fmt: skip
    strings: dict[str, Text] = {}
    for key, value in data.items():
        pos = SourcePos(rel, lines.get(str(key), 1))
        if not isinstance(key, str):
            diags.error(pos, f"the key {key!r} must be text", f"Quote it: '{key}': ...")
            continue
        checked = _check_value(key, value, pos, diags)
        if checked is None:
            continue
        if known is not None and key not in known:
            # Close to a key of the theme: a typo, worth a warning. Else most likely a Hugo
            # theme's own string (i18n/ of a Hugo site carries dozens): a note.
            close = did_you_mean(key, known)
            report = diags.warning if close else diags.note
            report(pos, f"unknown string '{key}': neither the theme nor the site's templates use it", close)
        if key == DATE_FORMAT and not _valid_date_format(checked):
            diags.error(pos, f"date_format '{checked}' is not a date format",
                        f"Use one of {', '.join(DATE_STYLES)}, or a CLDR pattern such as 'yyyy-MM-dd'.")  # fmt: skip
            continue
        if english is not None and key in english:
            _check_placeholders(key, checked, english[key], pos, diags)
        strings[key] = checked
    return strings


def _check_value(key: str, value: Any, pos: SourcePos, diags: Diagnostics) -> Text | None:
    if isinstance(value, str):
        return _hugo_placeholders(value)
    if not isinstance(value, dict):
        diags.error(pos, f"'{key}' must be text or plural forms ({{one: ..., other: ...}}), not {_kind(value)}",
                    f"Quote the text: {key}: \"{value}\"" if isinstance(value, (int, float, bool)) else "")  # fmt: skip
        return None
    forms: dict[str, str] = {}
    for form, text in value.items():
        if form not in PLURAL_FORMS:
            diags.error(pos, f"'{key}': unknown plural form '{form}'",
                        did_you_mean(str(form), PLURAL_FORMS) or f"Use some of: {', '.join(PLURAL_FORMS)}.")  # fmt: skip
            return None
        if not isinstance(text, str):
            diags.error(pos, f"'{key}': the form '{form}' must be text, not {_kind(text)}")
            return None
        forms[form] = _hugo_placeholders(text)
    if "other" not in forms:
        diags.error(pos, f"'{key}' has no 'other' form", "Every plural string needs one: other: \"...\"")
        return None
    return forms


def _kind(value: Any) -> str:
    names = {bool: "true or false", int: "a number", float: "a number", list: "a list", dict: "a mapping"}
    return "nothing" if value is None else names.get(type(value), type(value).__name__)


def _hugo_placeholders(text: str) -> str:
    def placeholder(match: re.Match) -> str:
        name = match[1] or "Count"
        return "{" + name[0].lower() + name[1:] + "}"

    return _HUGO_PLACEHOLDER.sub(placeholder, text)


def _placeholders(value: Text) -> set[str]:
    texts = value.values() if isinstance(value, dict) else [value]
    return {name for text in texts for name in _PLACEHOLDER.findall(text)}


def _check_placeholders(key: str, value: Text, english: Text, pos: SourcePos, diags: Diagnostics) -> None:
    """A placeholder the theme does not fill would show as `{name}`: most likely a typo."""
    given = _placeholders(english)
    for name in sorted(_placeholders(value) - given):
        diags.warning(pos, f"'{key}': the placeholder {{{name}}} is never filled",
                      did_you_mean(name, given) or (f"It takes {', '.join('{' + g + '}' for g in sorted(given))}."
                                                    if given else "It takes none."))  # fmt: skip


def _valid_date_format(value: Text) -> bool:
    if not isinstance(value, str):
        return False
    try:
        format_date(dt.date(2026, 1, 20), _date_format(value), locale=FALLBACK)
    except (ValueError, AttributeError, KeyError, TypeError, IndexError):  # what Babel raises for a bad pattern
        return False
    return True
