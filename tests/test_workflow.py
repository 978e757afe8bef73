"""The publishing workflow: valid for GitHub Actions, and its check and build steps work here."""

import shlex
import shutil
import subprocess

import pytest
import yaml
from conftest import REPO, in_ci

WORKFLOW = REPO / ".github" / "workflows" / "site.yml"


def _workflow() -> dict:
    return yaml.safe_load(WORKFLOW.read_text())


def _step(job: str, name: str) -> str:
    return next(s["run"] for s in _workflow()["jobs"][job]["steps"] if s.get("name") == name)


def test_actionlint_accepts_the_workflow():
    actionlint = shutil.which("actionlint")
    if actionlint is None:
        assert not in_ci(), "actionlint is part of the test extras: pip install -e '.[test]'"
        pytest.skip("actionlint not installed (pip install -e '.[test]')")
    result = subprocess.run([actionlint, "-no-color", str(WORKFLOW)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_pull_requests_are_checked_and_main_is_deployed_under_the_repository_path():
    flow = _workflow()
    triggers = flow[True] if True in flow else flow["on"]  # YAML 1.1 reads the key `on` as a boolean
    assert "pull_request" in triggers and triggers["push"]["branches"] == ["main"]
    assert "--strict" in _step("check", "Check") and "--format github" in _step("check", "Check")
    deploy = flow["jobs"]["deploy"]
    assert deploy["needs"] == "check" and "refs/heads/main" in deploy["if"]
    assert [s.get("uses", "").split("@")[0] for s in deploy["steps"]][-2:] == ["actions/upload-pages-artifact",
                                                                                 "actions/deploy-pages"]


def _run_step(command: str, cwd):
    command = command.replace("${{ github.event.repository.name }}", "glossary-site")
    return subprocess.run(["bash", "-c", command], cwd=cwd, capture_output=True, text=True)


def test_the_workflow_check_and_build_steps_pass_on_the_example_site(tmp_path):
    site = tmp_path / "repo"
    for name in ("content", "terms", "templates", "static"):
        if (REPO / name).is_dir():
            shutil.copytree(REPO / name, site / name)
    shutil.copy(REPO / "site.yaml", site / "site.yaml")
    check = _run_step(_step("check", "Check"), site)
    assert check.returncode == 0, check.stdout + check.stderr
    build = _run_step(_step("deploy", "Build"), site)
    assert build.returncode == 0, build.stdout + build.stderr
    home = (site / "public" / "index.html").read_text()
    assert 'href="/glossary-site/terms/' in home  # every link under the project sub-path
    assert shlex.split(_step("deploy", "Build"))[:2] == ["glossary-site", "build"]
