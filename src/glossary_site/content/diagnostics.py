"""Author-facing problems: where they are, what they are, and a way out.

Every stage reports into a `Diagnostics` collector instead of raising, so one run
prints every problem (MkDocs' "log every problem, fail at the end").
"""

from __future__ import annotations

import difflib
import json
from dataclasses import dataclass, field
from typing import Iterable, Literal

Level = Literal["error", "warning", "note"]


@dataclass(frozen=True, order=True)
class SourcePos:
    path: str
    """Path relative to the site directory, with forward slashes."""
    line: int = 0
    """1-based line; 0 when the problem is about the file as a whole."""

    def __str__(self) -> str:
        return f"{self.path}:{self.line}" if self.line else self.path


@dataclass(frozen=True, order=True)
class Diagnostic:
    pos: SourcePos
    level: Level
    message: str
    hint: str = ""
    """A way out, e.g. "Did you mean 'kv-cache'?"; appended to the message."""

    def __str__(self) -> str:
        text = f"{self.pos}: {self.level}: {self.message}"
        if not self.hint:
            return text
        return f"{text} {self.hint}" if text.endswith((".", "?", "!", ":")) else f"{text}. {self.hint}"


@dataclass
class Diagnostics:
    """Collects problems from every stage; the pipeline stops between stages on errors."""

    items: list[Diagnostic] = field(default_factory=list)

    def add(self, pos: SourcePos, level: Level, message: str, hint: str = "") -> None:
        self.items.append(Diagnostic(pos, level, message, hint))

    def error(self, pos: SourcePos, message: str, hint: str = "") -> None:
        self.add(pos, "error", message, hint)

    def warning(self, pos: SourcePos, message: str, hint: str = "") -> None:
        self.add(pos, "warning", message, hint)

    def note(self, pos: SourcePos, message: str, hint: str = "") -> None:
        self.add(pos, "note", message, hint)

    def extend(self, others: Iterable[Diagnostic]) -> None:
        self.items.extend(others)

    @property
    def has_errors(self) -> bool:
        return any(d.level == "error" for d in self.items)

    @property
    def warnings(self) -> int:
        return sum(d.level == "warning" for d in self.items)

    def sorted(self) -> list[Diagnostic]:
        """Stable, de-duplicated order: by file, then line, then message."""
        return sorted(set(self.items))


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """"Did you mean 'x'?" for the closest choice, comparing case-insensitively."""
    choices = list(choices)
    lowered = {c.lower(): c for c in choices}
    if word.lower() in lowered and lowered[word.lower()] != word:
        return f"Did you mean '{lowered[word.lower()]}'?"
    close = difflib.get_close_matches(word.lower(), list(lowered), n=1, cutoff=0.6)
    return f"Did you mean '{lowered[close[0]]}'?" if close else ""


def as_json(diagnostics: list[Diagnostic]) -> str:
    """`check --format json`: one object per problem, for editors and bots."""
    return json.dumps([{"path": d.pos.path, "line": d.pos.line, "level": d.level, "message": d.message,
                        "hint": d.hint, "text": str(d)} for d in diagnostics], indent=1)  # fmt: skip


def as_github(diagnostic: Diagnostic) -> str:
    """`--format github`: a GitHub Actions workflow command, shown on the pull request's diff."""
    command = {"error": "error", "warning": "warning", "note": "notice"}[diagnostic.level]
    line = f",line={diagnostic.pos.line}" if diagnostic.pos.line else ""
    message = f"{diagnostic.message}. {diagnostic.hint}" if diagnostic.hint else diagnostic.message
    return f"::{command} file={_escape(diagnostic.pos.path, True)}{line},title=glossary-site::{_escape(message)}"


def _escape(text: str, property_value: bool = False) -> str:
    # As the Actions toolkit escapes: '%' first, then line breaks, then (in properties) ':' and ','.
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return text.replace(":", "%3A").replace(",", "%2C") if property_value else text
