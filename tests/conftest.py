import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from glossary_site.commands.cli import main  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"


def make_site(root: Path, files: dict[str, str | bytes]) -> Path:
    """A throwaway site from a {relative path: content} dict (MkDocs' test style)."""
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root


def run_cli(capsys, *args: str) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def site_factory(tmp_path):
    return lambda files: make_site(tmp_path / "site", files)


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")
