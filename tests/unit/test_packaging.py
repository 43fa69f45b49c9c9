"""What an installation gets: a version, runtime dependencies only, and a lock that matches."""

from __future__ import annotations

import re
import tomllib
from importlib.metadata import version

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from typer.testing import CliRunner

from assistant.cli import app
from tests.support import REPO

PYPROJECT = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
LOCK = (REPO / "requirements.lock").read_text(encoding="utf-8")
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?==(\S+)", re.MULTILINE)
DEV_TOOLS = {"pytest", "ruff", "mypy", "hypothesis", "playwright", "import-linter", "psutil", "uv"}


def _locked() -> dict[str, str]:
    return {canonicalize_name(name): pinned for name, pinned in PIN.findall(LOCK)}


def _runtime() -> list[Requirement]:
    return [Requirement(line) for line in PYPROJECT["project"]["dependencies"]]


def test_assistant_version_prints_the_installed_version() -> None:
    result = CliRunner().invoke(app, ["--version"])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == f"safeguarding-assistant {version('safeguarding-assistant')}"


def test_runtime_dependencies_hold_no_test_or_benchmark_tool() -> None:
    names = {canonicalize_name(req.name) for req in _runtime()}
    assert not names & DEV_TOOLS


def test_the_lock_pins_every_runtime_dependency_within_its_range() -> None:
    locked = _locked()
    stale = [
        str(req)
        for req in _runtime()
        if canonicalize_name(req.name) not in locked
        or not req.specifier.contains(locked[canonicalize_name(req.name)], prereleases=True)
    ]
    assert not stale, f"requirements.lock is out of date for {stale}: run `make lock`"


def test_the_lock_has_a_hash_for_every_pin_and_the_cpu_torch_only() -> None:
    blocks = re.split(r"\n(?=[A-Za-z0-9])", LOCK)
    unhashed = [b.split()[0] for b in blocks if PIN.match(b) and "--hash=sha256:" not in b]
    assert not unhashed
    locked = _locked()
    assert locked["torch"] == "2.13.0+cpu"
    assert not [name for name in locked if name.startswith(("nvidia-", "triton"))]
    assert not set(locked) & DEV_TOOLS
