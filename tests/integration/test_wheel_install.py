"""The wheel, installed outside the checkout, serves the chat page, its CSS and an answer.

Built from a copy of the package's inputs (sdist, then the wheel from the sdist, as a
release would be), installed with ``pip install --no-deps --target`` (the dependencies
come from the running venv), and run from a directory that is not the checkout.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tomllib
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.integration.conftest import free_port
from tests.support import REPO, stop_process, wait_until_ready

pytestmark = pytest.mark.integration

BUILD_INPUTS = ("pyproject.toml", "setup.py", "MANIFEST.in", "README.md", "LICENSE")
SHIPPED = ("assistant", "web", "prompts", "corpus")
PYPROJECT = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
VERSION = PYPROJECT["project"]["version"]


def _run(
    args: list[str], cwd: Path | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, f"{args}:\n{result.stdout}\n{result.stderr}"
    return result


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel installed into a fresh target folder (nothing from the checkout in it)."""
    root = tmp_path_factory.mktemp("wheel")
    source = root / "source"
    source.mkdir()
    for name in BUILD_INPUTS:
        shutil.copy2(REPO / name, source / name)
    for name in SHIPPED:
        shutil.copytree(
            REPO / name, source / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc")
        )
    dist = root / "dist"
    _run([sys.executable, "-m", "build", "--no-isolation", "--outdir", str(dist), str(source)])
    wheels = list(dist.glob("safeguarding_assistant-*.whl"))
    assert len(wheels) == 1, wheels
    target = root / "site"
    pip = [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-index"]
    _run([*pip, "--target", str(target), str(wheels[0])])
    return target


@pytest.fixture(scope="module")
def outside(tmp_path_factory: pytest.TempPathFactory, site: Path) -> tuple[Path, dict[str, str]]:
    """A working directory outside the checkout and an environment that imports ``site``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("ASSISTANT_")}
    env.update(
        PYTHONPATH=str(site),
        HF_HUB_OFFLINE="1",
        TRANSFORMERS_OFFLINE="1",
        ANONYMIZED_TELEMETRY="False",
        XDG_DATA_HOME=str(tmp_path_factory.mktemp("xdg")),
    )
    return tmp_path_factory.mktemp("elsewhere"), env


def test_the_installed_copy_is_imported_and_prints_its_version(
    site: Path, outside: tuple[Path, dict[str, str]]
) -> None:
    cwd, env = outside
    where = _run(
        [sys.executable, "-c", "import assistant; print(assistant.__file__)"], cwd=cwd, env=env
    )
    assert Path(where.stdout.strip()).is_relative_to(site)
    shown = _run([sys.executable, "-m", "assistant", "--version"], cwd=cwd, env=env)
    assert shown.stdout.strip() == f"safeguarding-assistant {VERSION}"
    assert not (site / "web").exists(), "the shipped folders belong inside the package"
    assert (site / "assistant" / "_bundled" / "web" / "templates" / "chat.html").is_file()


@pytest.fixture(scope="module")
def served(site: Path, outside: tuple[Path, dict[str, str]], built_index: Path) -> Iterator[str]:
    """``python -m assistant serve`` from the installed copy, on the session's index."""
    cwd, env = outside
    data_dir = cwd / "data"
    shutil.copytree(built_index / "index", data_dir / "index")
    port = free_port()
    log_path = cwd / "serve.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "assistant", "serve", "--port", str(port)],
            cwd=cwd,
            env={**env, "ASSISTANT_DATA_DIR": str(data_dir)},
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_ready(f"{base}/readyz", process, log_path, timeout_s=180)
        yield base
    finally:
        stop_process(process)


def test_the_installed_server_serves_the_chat_page_its_css_and_an_answer(served: str) -> None:
    with httpx.Client(base_url=served, cookies={"assistant_ack": "1"}, timeout=240) as client:
        page = client.get("/")
        assert page.status_code == 200
        assert 'name="question"' in page.text
        stylesheets = re.findall(r'<link[^>]+rel="stylesheet"[^>]+href="([^"]+)"', page.text)
        stylesheets += re.findall(r'<link[^>]+href="([^"]+\.css[^"]*)"', page.text)
        assert stylesheets, page.text[:2000]
        css = client.get(stylesheets[0])
        assert css.status_code == 200
        assert css.headers["content-type"].startswith("text/css")
        assert "{" in css.text

        answer = client.post(
            "/api/ask",
            json={"question": "what does a rapid review inform", "history": []},
        )
        assert answer.status_code == 200, answer.text
        body = answer.json()
        assert body["citations"], body
        assert re.search(r"\[\d+\]", body["answer"]), body["answer"]
