"""The publishing workflow: valid for GitHub Actions, its check and build steps work here, and
its build cache makes the next deploy render only what changed, on a fresh runner too."""

import fnmatch
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import REPO, in_ci

import glossary_site
from glossary_site.build.cache import CACHE_DIR
from glossary_site.build.publish import MARKER
from glossary_site.build.up_to_date import INPUT_DIRS
from glossary_site.content.hugo_config import CONFIG_FILES

WORKFLOW = REPO / ".github" / "workflows" / "site.yml"
BIN = os.path.dirname(sys.executable)
"""Where the interpreter running the tests keeps its commands (a venv's bin/, also when it is not on PATH)."""


def _workflow() -> dict:
    return yaml.safe_load(WORKFLOW.read_text())


def _step(job: str, name: str) -> str:
    return next(s["run"] for s in _workflow()["jobs"][job]["steps"] if s.get("name") == name)


def _command(name: str) -> str | None:
    """`name` beside the running interpreter, else on PATH."""
    return shutil.which(name, path=BIN) or shutil.which(name)


def test_actionlint_accepts_the_workflow():
    actionlint = _command("actionlint")
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


def _run_step(command: str, cwd, env: dict | None = None):
    """A step's `run` in bash, with the commands of the interpreter running the tests first on PATH."""
    command = command.replace("${{ github.event.repository.name }}", "glossary-site")
    env = dict(os.environ if env is None else env)
    env["PATH"] = BIN + os.pathsep + env.get("PATH", "")
    return subprocess.run(["bash", "-c", command], cwd=cwd, capture_output=True, text=True, env=env)


def _copy_site(site: Path) -> Path:
    """The example site's sources, as a checkout has them (new files: new mtimes and inodes)."""
    for name in ("content", "terms", "templates", "static"):
        if (REPO / name).is_dir():
            shutil.copytree(REPO / name, site / name, copy_function=shutil.copyfile)
    shutil.copyfile(REPO / "site.yaml", site / "site.yaml")
    return site


def test_the_workflow_check_and_build_steps_pass_on_the_example_site(tmp_path):
    site = _copy_site(tmp_path / "repo")
    check = _run_step(_step("check", "Check"), site)
    assert check.returncode == 0, check.stdout + check.stderr
    build = _run_step(_step("deploy", "Build"), site)
    assert build.returncode == 0, build.stdout + build.stderr
    home = (site / "public" / "index.html").read_text()
    assert 'href="/glossary-site/terms/' in home  # every link under the project sub-path
    assert shlex.split(_step("deploy", "Build"))[:2] == ["glossary-site", "build"]


def _deploy_steps() -> list[dict]:
    return _workflow()["jobs"]["deploy"]["steps"]


def _cache_step() -> dict:
    return next(s for s in _deploy_steps() if s.get("uses", "").startswith("actions/cache@"))


def _hashed(expression: str) -> list[list[str]]:
    """The patterns of each hashFiles(...) in an expression."""
    return [re.findall(r"'([^']*)'", args) for args in re.findall(r"hashFiles\(([^)]*)\)", expression)]


def test_the_deploy_job_caches_what_the_build_reuses_keyed_by_tool_and_inputs(tmp_path):
    steps = _deploy_steps()
    cache = _cache_step()
    build = shlex.split(_step("deploy", "Build"))
    output = build[build.index("--output") + 1]
    # The paths the build reads its cache from and keeps its output in (the same --output string:
    # the cache only reuses pages written to the output it names).
    assert sorted(cache["with"]["path"].split()) == sorted([CACHE_DIR, output])
    names = [s.get("name") for s in steps]
    assert names.index("Install") < names.index("Tool version") < steps.index(cache) < names.index("Build")
    # Keyed by the installed tool's version (printed by the step before) and by the site's inputs.
    tool = next(s for s in steps if s.get("name") == "Tool version")
    key, restore = cache["with"]["key"], cache["with"]["restore-keys"].strip()
    assert f"${{{{ steps.{tool['id']}.outputs.version }}}}" in key
    inputs = _hashed(key.split("-${{")[-1])
    assert len(inputs) == 1
    for name in ("site.yaml", *CONFIG_FILES, *(f"{folder}/a/b.md" for folder in INPUT_DIRS)):
        assert any(fnmatch.fnmatch(name, pattern) for pattern in inputs[0]), name
    # A push that changes the inputs restores the newest cache of the same tool.
    assert key.startswith(restore) and restore.endswith("-")
    assert _hashed(restore) == _hashed(key)[:-1]
    # The step prints the version that is installed.
    out = tmp_path / "github-output"
    ran = _run_step(tool["run"], tmp_path, {**os.environ, "GITHUB_OUTPUT": str(out)})
    assert ran.returncode == 0, ran.stderr
    assert out.read_text().splitlines() == [f"version={glossary_site.__version__}"]
    # pip's downloads are cached in both jobs.
    for job in ("check", "deploy"):
        job_steps = _workflow()["jobs"][job]["steps"]
        setup = next(s for s in job_steps if s.get("uses", "").startswith("actions/setup-python"))
        assert setup["with"]["cache"] == "pip" and setup["with"]["cache-dependency-path"] == "pyproject.toml"


def _install(target: Path) -> Path:
    """A copy of the package the tests import, as `pip install .` on a new runner writes it: the
    same bytes in new files (new inodes and mtimes)."""
    source = Path(glossary_site.__file__).parent
    shutil.copytree(source, target / "glossary_site", copy_function=shutil.copyfile,
                    ignore=shutil.ignore_patterns("__pycache__", ".*"))  # fmt: skip
    return target


def _env(install: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE", "PYTHONPATH")}
    return {**env, "PYTHONPATH": str(install)}


def _files(folder: Path) -> dict[str, tuple[int, bytes]]:
    """Output path -> (inode, bytes): a file written again has a new inode (unchanged ones are hard-linked)."""
    return {p.relative_to(folder).as_posix(): (p.stat().st_ino, p.read_bytes())
            for p in folder.rglob("*") if p.is_file()}  # fmt: skip


ARTICLE = "content/picking-a-quant.md"
PAGE = "articles/picking-a-quant/index.html"
EDIT = ("on your hardware today.", "on your hardware now.")
"""One word for another in the body: what other pages show of the article (title, summary,
reading time, the terms it links) stays the same."""


def test_a_deploy_after_a_one_article_push_renders_only_that_page(tmp_path):
    """Two runs of the deploy job on fresh runners: the first builds and its cache step saves
    .glossary-cache and public/; the second checks out anew (new mtimes and inodes), installs
    the tool anew (the same code in new files), restores them, and after a push that edits one
    article renders that article's page and no other, with the bytes of a clean build."""
    build_step = _step("deploy", "Build")
    first_install, second_install = _install(tmp_path / "install-1"), tmp_path / "install-2"
    shutil.copytree(first_install, second_install, copy_function=shutil.copyfile)
    saved = tmp_path / "saved"
    paths = _cache_step()["with"]["path"].split()

    site = _copy_site(tmp_path / "runner" / "repo")
    first = _run_step(build_step, site, _env(first_install))
    assert first.returncode == 0, first.stdout + first.stderr
    for name in paths:
        shutil.copytree(site / name, saved / name, symlinks=True)  # actions/cache: a tar, mtimes kept
    shutil.rmtree(tmp_path / "runner")

    site = _copy_site(tmp_path / "runner" / "repo")  # the same path, as on every runner
    article = site / ARTICLE
    text = article.read_text()
    assert EDIT[0] in text
    article.write_text(text.replace(*EDIT))
    for name in paths:
        shutil.copytree(saved / name, site / name, symlinks=True)
    before = _files(site / "public")
    second = _run_step(build_step, site, _env(second_install))
    assert second.returncode == 0, second.stdout + second.stderr
    for install in (first_install, second_install):  # each run imported its own install
        assert list((install / "glossary_site" / "commands" / "__pycache__").glob("entry_point.*.pyc"))
    after = _files(site / "public")

    changed = {rel for rel in before.keys() | after.keys() if before.get(rel, (0,))[0] != after.get(rel, (0,))[0]}
    # The page's search shard is indexed again (the example site's pages fit in one), and the
    # output's marker changes with every swap: anything else is the one page.
    assert {rel for rel in changed if not rel.startswith("pagefind/")} - {MARKER} == {PAGE}
    assert EDIT[1].encode() in after[PAGE][1]
    assert all(rel.startswith("pagefind/0/") for rel in changed if rel.startswith("pagefind/"))
    summary = re.search(r"\((\d+) written, (\d+) removed", second.stdout)
    assert summary and int(summary[1]) + int(summary[2]) <= len(changed), second.stdout + second.stderr

    clean = _copy_site(tmp_path / "clean" / "repo")
    (clean / ARTICLE).write_text((clean / ARTICLE).read_text().replace(*EDIT))
    fresh = _run_step(build_step, clean, _env(second_install))
    assert fresh.returncode == 0, fresh.stdout + fresh.stderr
    # The same bytes as a clean build, the search index included.
    assert {rel: data for rel, (_, data) in after.items()} == {rel: data for rel, (_, data) in _files(clean / "public").items()}
