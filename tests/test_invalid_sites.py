"""Broken sites under tests/invalid/<case>/: the build prints exactly expected_errors.txt."""

import shutil
from pathlib import Path

import pytest
from conftest import run_cli

INVALID = Path(__file__).parent / "invalid"
CASES = sorted(p.name for p in INVALID.iterdir() if (p / "expected_errors.txt").exists())


def _diagnostic_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if ": error: " in line or ": warning: " in line]


@pytest.mark.parametrize("case", CASES)
def test_invalid_site_reports_exact_diagnostics(case, tmp_path, capsys):
    site = tmp_path / case
    shutil.copytree(INVALID / case, site, symlinks=True)
    output = tmp_path / "out"
    output.mkdir()
    (output / ".glossary-site").write_text("previous build\n")
    (output / "index.html").write_text("previous site\n")
    code, _, err = run_cli(capsys, "build", site, "--output", output)
    expected = (INVALID / case / "expected_errors.txt").read_text().splitlines()
    assert _diagnostic_lines(err) == expected
    exit_file = INVALID / case / "expected_exit.txt"
    assert code == (int(exit_file.read_text()) if exit_file.exists() else 1)
    if code != 0:
        # A failed build leaves the previous output exactly as it was.
        assert sorted(p.name for p in output.iterdir()) == [".glossary-site", "index.html"]
        assert (output / "index.html").read_text() == "previous site\n"
        assert "Traceback" not in err


@pytest.mark.parametrize("case", [c for c in CASES if not c.startswith("template")])
def test_check_reports_the_same_diagnostics_and_writes_nothing(case, tmp_path, capsys):
    site = tmp_path / case
    shutil.copytree(INVALID / case, site, symlinks=True)
    code, _, err = run_cli(capsys, "check", site)
    assert _diagnostic_lines(err) == (INVALID / case / "expected_errors.txt").read_text().splitlines()
    assert not (site / "public").exists()


def test_catalogue_has_a_case_per_validation():
    assert len(CASES) >= 30
