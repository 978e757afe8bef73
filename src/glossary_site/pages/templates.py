"""The Jinja environment: site templates/ override the packaged theme file by file."""

from __future__ import annotations

import traceback
from pathlib import Path

from jinja2 import (
    ChoiceLoader,
    Environment,
    FileSystemBytecodeCache,
    FileSystemLoader,
    StrictUndefined,
    TemplateError,
    TemplateSyntaxError,
)

from ..content.diagnostics import Diagnostics, SourcePos
from ..content.digests import digest

THEME = Path(__file__).parent.parent / "theme"


def make_environment(root: Path, compiled: Path | None = None) -> Environment:
    """`compiled`: a folder for Jinja's own bytecode cache (checked against each template's
    source), so a new process does not compile the templates again: a fifth of a second."""
    loaders = []
    if (root / "templates").is_dir():
        loaders.append(FileSystemLoader(root / "templates"))
    loaders.append(FileSystemLoader(THEME / "templates"))
    env = Environment(
        loader=ChoiceLoader(loaders),
        autoescape=True,  # every front matter value is escaped unless a template says |safe
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        # One build, one version of each template (their digests are taken at its start);
        # an edited template makes a new environment. Saves a stat per template per page.
        auto_reload=False,
        bytecode_cache=_bytecode_cache(compiled) if compiled is not None else None,
    )
    return env


def _bytecode_cache(folder: Path):
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:  # a site that cannot be written compiles its templates every time
        return None
    return _QuietBytecodeCache(str(folder))


class _QuietBytecodeCache(FileSystemBytecodeCache):
    """Jinja's bytecode cache, whose writes may fail: the folder removed under a running build
    (`rm -rf .glossary-cache`, `git clean -fdX`, a CI cache step) or made read-only. A template that
    cannot be cached is compiled again next time; it never fails a build (Jinja's own class
    raises from its temporary file when the folder is gone)."""

    def dump_bytecode(self, bucket) -> None:
        try:
            super().dump_bytecode(bucket)
        except OSError:
            pass


def template_path(filename: str | None, root: Path) -> str:
    """A template file as the author knows it: 'templates/x.html' or the theme's path."""
    if not filename:
        return "<template>"
    path = Path(filename)
    for base, label in ((root / "templates", "templates"), (THEME / "templates", "theme/templates")):
        try:
            return f"{label}/{path.resolve().relative_to(base.resolve()).as_posix()}"
        except ValueError:
            continue
    return path.as_posix()


def report_template_error(exc: TemplateError, root: Path, diags: Diagnostics, page: str) -> None:
    """Turn a Jinja error into `templates/x.html:LINE: error: ...` using its last template frame."""
    if isinstance(exc, TemplateSyntaxError):
        pos = SourcePos(template_path(exc.filename, root), exc.lineno or 0)
        diags.error(pos, f"template syntax error: {exc.message}")
        return
    pos = SourcePos("<template>")
    for frame, line in traceback.walk_tb(exc.__traceback__):
        name = frame.f_code.co_filename
        if name.endswith((".html", ".xml")):
            pos = SourcePos(template_path(name, root), line)
    diags.error(pos, f"template error while rendering {page}: {exc}")


_REFERENCES: dict[str, tuple[str, ...]] = {}
"""Template source -> the templates it pulls in. Keyed by the source alone (every build's
environment parses alike): keyed by the environment too, a long-lived process (the daemon)
kept the environments of its last 512 builds."""


def _references(source: str, env: Environment) -> tuple[str, ...]:
    """Templates a template pulls in; parsing is the cost, so each source is parsed once per process."""
    refs = _REFERENCES.get(source)
    if refs is None:
        from jinja2 import meta

        if len(_REFERENCES) >= 512:
            _REFERENCES.clear()
        refs = _REFERENCES[source] = tuple(ref for ref in meta.find_referenced_templates(env.parse(source)) if ref)
    return refs


def template_digests(env: Environment, names: list[str]) -> dict[str, str]:
    """Per top-level template, a digest of its source and of every template it pulls in
    (extends, include, import), so editing one re-renders only the pages that use it; and of
    the strings in effect (the `T` global, pages/strings.py), so an edited strings file
    re-renders the pages (every theme page shows some of them)."""
    words = getattr(env.globals.get("T"), "digest", "")
    sources: dict[str, str] = {}
    refs: dict[str, list[str]] = {}

    def closure(name: str, seen: set[str]) -> None:
        if name in seen:
            return
        seen.add(name)
        if name not in sources:
            sources[name] = env.loader.get_source(env, name)[0]
            refs[name] = _references(sources[name], env)
        for ref in refs[name]:
            closure(ref, seen)

    result = {}
    for name in names:
        seen: set[str] = set()
        try:
            closure(name, seen)
        except TemplateError:
            result[name] = "unreadable"  # rendering reports the error with its line
            continue
        result[name] = digest(sorted((n, sources[n]) for n in seen), words)
    return result
