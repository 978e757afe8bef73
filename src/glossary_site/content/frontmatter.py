"""Split a Markdown file into front matter and body, keeping the line of every key.

YAML sits between `---` lines, TOML between `+++` lines, JSON is an object that opens the
file (Hugo's three formats). Values come back as plain Python data plus a `lines` map
(key -> 1-based file line), so that later validation can point at the exact line of a bad value.
A block that is empty or holds only comments is an empty mapping.
"""

from __future__ import annotations

import json
import re
import tomllib
from dataclasses import dataclass, field
from typing import Any

import yaml

from .diagnostics import Diagnostics, SourcePos


@dataclass(frozen=True)
class FrontMatter:
    data: dict[str, Any]
    """The parsed mapping (empty when the file has no front matter)."""
    lines: dict[str, int]
    """Key -> 1-based line in the file; list items as 'key[0]', 'key[1]' ..."""
    body: str
    """Everything after the closing fence."""
    body_line: int
    """1-based file line of the body's first line (for Markdown token positions)."""
    fence_line: int = 1
    """Line of the opening fence, where problems with the block as a whole point."""
    ok: bool = True
    """False when the block could not be parsed (the errors are already reported)."""
    extra: dict = field(default_factory=dict)


_FENCES = {"---": "yaml", "+++": "toml"}


def parse_front_matter(text: str, path: str, diags: Diagnostics) -> FrontMatter:
    """Parse `text` (already decoded, BOM removed, newlines normalised)."""
    if text.startswith("{"):
        return _parse_json(text, path, diags)
    lines = text.split("\n")
    fence = lines[0].rstrip() if lines else ""
    if fence not in _FENCES:
        return FrontMatter({}, {}, text, 1)
    for end in range(1, len(lines)):
        if lines[end].rstrip() == fence:
            break
    else:
        diags.error(
            SourcePos(path, 1),
            f"front matter opened with '{fence}' is never closed",
            f"Add a line containing only '{fence}' after the last key.",
        )
        return FrontMatter({}, {}, "", len(lines) + 1, ok=False)
    block = "\n".join(lines[1:end])
    body = "\n".join(lines[end + 1 :])
    parse = _parse_yaml if _FENCES[fence] == "yaml" else _parse_toml
    data, key_lines, ok = parse(block, path, diags)
    return FrontMatter(data, key_lines, body, end + 2, ok=ok)


# libyaml's parser when installed (several times faster); same safe constructors either way.
_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class UniqueKeyLoader(_BaseLoader):
    """SafeLoader that rejects duplicate keys instead of silently keeping the last."""


def _construct_mapping(loader: UniqueKeyLoader, node: yaml.MappingNode, deep: bool = False):
    seen: dict[Any, int] = {}
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        try:
            hash(key)
        except TypeError:
            raise yaml.constructor.ConstructorError(
                None, None, "a key must be a plain value", key_node.start_mark
            ) from None
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None,
                None,
                f"duplicate key '{key}' (first defined on line {seen[key] + 2})",
                key_node.start_mark,
            )
        seen[key] = key_node.start_mark.line
    return loader.construct_mapping(node, deep=deep)


UniqueKeyLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping
)

# YAML 1.1 reads yes/no/on/off as booleans, so `title: Off` would be False. Hugo and YAML 1.2
# accept only true/false; do the same so that words stay words.
UniqueKeyLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
UniqueKeyLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


def _parse_yaml(block: str, path: str, diags: Diagnostics):
    # Line 1 is the opening fence, so YAML's 0-based line n is file line n + 2.
    try:
        # One parse: compose keeps each key's line, then the node is constructed into data.
        loader = UniqueKeyLoader(block)
        try:
            node = loader.get_single_node()
            data = loader.construct_document(node) if node is not None else {}
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        # An unclosed quote or bracket is found at the end of the block; its start is
        # where the author has to look.
        flow = (exc.context or "").startswith("while parsing a flow")
        at_end = "end of stream" in (exc.problem or "") or flow
        mark = (exc.context_mark if at_end else None) or exc.problem_mark or exc.context_mark
        line = mark.line + 2 if mark else 1
        problem = exc.problem or "invalid YAML"
        if exc.context:
            problem = f"{exc.context}: {problem}"
        hint = ""
        if at_end and "quoted scalar" in (exc.context or ""):
            problem, hint = "this quoted value is never closed", "Add the closing quote on the same line."
        elif flow:
            closer = "]" if "sequence" in (exc.context or "") else "}"
            problem, hint = f"this '{'[' if closer == ']' else '{'}' is never closed", f"Add the closing '{closer}'."
        block_lines = block.split("\n")
        bad_line = block_lines[line - 2] if 0 <= line - 2 < len(block_lines) else ""
        if bad_line[: len(bad_line) - len(bad_line.lstrip())].count("\t") or "tab" in str(exc).lower():
            problem = "a tab indents this line"
            hint = "YAML indentation must use spaces, not tabs."
        diags.error(SourcePos(path, line), f"invalid YAML front matter: {problem}", hint)
        return {}, {}, False
    except yaml.YAMLError as exc:  # pragma: no cover - unmarked YAML errors are rare
        diags.error(SourcePos(path, 1), f"invalid YAML front matter: {exc}")
        return {}, {}, False
    if data is None or node is None:  # empty, or only comments (`# Do not remove front matter.`)
        return {}, {}, True
    if not isinstance(data, dict):
        diags.error(
            SourcePos(path, 2),
            f"front matter must be a mapping of keys to values, not a {_yaml_kind(data)}",
            "Write it as 'key: value' lines.",
        )
        return {}, {}, False
    key_lines: dict[str, int] = {}
    for key_node, value_node in node.value:
        key = str(key_node.value)
        key_lines[key] = key_node.start_mark.line + 2
        if isinstance(value_node, yaml.SequenceNode):
            for i, item in enumerate(value_node.value):
                key_lines[f"{key}[{i}]"] = item.start_mark.line + 2
    return {str(k): v for k, v in data.items()}, key_lines, True


def _yaml_kind(value: Any) -> str:
    return {list: "list", str: "string", int: "number", float: "number"}.get(type(value), "value")


_TOML_KEY = re.compile(r"""^\s*(?:"([^"]+)"|'([^']+)'|([A-Za-z0-9_.-]+))\s*=""")


def _parse_toml(block: str, path: str, diags: Diagnostics):
    try:
        data = tomllib.loads(block)
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"line (\d+)", str(exc))
        line = int(match.group(1)) + 1 if match else 1
        message = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc))
        if message.startswith("Cannot overwrite a value"):
            message = "this key is already set above (or its table is defined twice)"
        diags.error(SourcePos(path, line), f"invalid TOML front matter: {message}")
        return {}, {}, False
    # tomllib keeps no positions; top-level keys are one per line, so a scan finds them.
    key_lines: dict[str, int] = {}
    for number, line in enumerate(block.split("\n"), start=2):
        if line.lstrip().startswith("["):
            break  # a [table] starts: later keys are not top-level
        match = _TOML_KEY.match(line)
        if match:
            key = next(g for g in match.groups() if g)
            key_lines.setdefault(key, number)
    return data, key_lines, True


def _parse_json(text: str, path: str, diags: Diagnostics) -> FrontMatter:
    """Hugo's JSON front matter: one object at the top of the file; the body follows it."""
    try:
        data, end = json.JSONDecoder().raw_decode(text)
    except json.JSONDecodeError as exc:
        diags.error(SourcePos(path, exc.lineno), f"invalid JSON front matter: {exc.msg}")
        return FrontMatter({}, {}, "", text.count("\n") + 2, ok=False)
    if not isinstance(data, dict):  # pragma: no cover - raw_decode of text starting '{' gives an object
        return FrontMatter({}, {}, text, 1)
    rest = text[end:]
    newline = rest.find("\n")
    if rest[: newline if newline >= 0 else len(rest)].strip():
        diags.error(SourcePos(path, text[:end].count("\n") + 1), "the JSON front matter's closing '}' must end its line",
                    "Start the Markdown on the next line.")  # fmt: skip
        return FrontMatter({}, {}, "", 1, ok=False)
    body = rest[newline + 1 :] if newline >= 0 else ""
    body_line = text[:end].count("\n") + 2
    return FrontMatter({str(k): v for k, v in data.items()}, _json_key_lines(text[:end]), body, body_line)


def _json_key_lines(block: str) -> dict[str, int]:
    """The line of each top-level key of a JSON object (json keeps no positions)."""
    lines: dict[str, int] = {}
    depth, line, i = 0, 1, 0
    while i < len(block):
        char = block[i]
        if char == "\n":
            line += 1
        elif char in "{[":
            depth += 1
        elif char in "}]":
            depth -= 1
        elif char == '"':
            start, i = i, i + 1
            while i < len(block) and block[i] != '"':
                i += 2 if block[i] == "\\" else 1
            rest = block[i + 1 :].lstrip(" \t\r\n")
            if depth == 1 and rest.startswith(":"):
                lines.setdefault(json.loads(block[start : i + 1]), line)
            line += block[start:i].count("\n")
        i += 1
    return lines
