"""Where the package finds web/, prompts/ and corpus/: the checkout, or the wheel's copies."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant import resources
from assistant.settings import REPO_ROOT, Settings


def _checkout(root: Path) -> Path:
    (root / "assistant").mkdir(parents=True)
    (root / "pyproject.toml").write_text("[project]\n", encoding="utf-8")
    for name in (*resources.BUNDLED_DIRS, "evals"):
        (root / name).mkdir()
    return root / "assistant"


def _installed(site: Path) -> Path:
    package = site / "assistant"
    for name in resources.BUNDLED_DIRS:
        (package / resources.BUNDLED / name).mkdir(parents=True)
    return package


def test_this_checkout_reads_the_repository_folders() -> None:
    assert resources.checkout_root() == REPO_ROOT
    assert resources.bundled_dir() is None, "assistant/_bundled must never be in the checkout"
    settings = Settings()
    assert settings.web_dir == REPO_ROOT / "web"
    assert settings.prompts_dir == REPO_ROOT / "prompts"
    assert settings.corpus_dir == REPO_ROOT / "corpus"
    assert (settings.web_dir / "static" / "css").is_dir()


def test_a_checkout_layout_gets_its_own_folders_and_data_dir(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    package = _checkout(tmp_path / "repo")
    monkeypatch.setattr(resources, "_package_dir", lambda: package)
    assert resources.shipped_dir("web") == tmp_path / "repo" / "web"
    assert resources.shipped_dir("corpus") == tmp_path / "repo" / "corpus"
    assert resources.default_data_dir() == tmp_path / "repo" / "data"
    assert resources.default_evals_dir() == tmp_path / "repo" / "evals"


def test_an_installed_package_reads_its_bundled_copies_and_writes_per_user(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = tmp_path / "site-packages"
    package = _installed(site)
    # A stray folder of another distribution beside the package is not mistaken for a checkout.
    (site / "pyproject.toml").write_text("", encoding="utf-8")
    for name in resources.BUNDLED_DIRS:
        (site / name).mkdir()
    monkeypatch.setattr(resources, "_package_dir", lambda: package)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert resources.checkout_root() is None
    for name in resources.BUNDLED_DIRS:
        assert resources.shipped_dir(name) == package / "_bundled" / name  # type: ignore[arg-type]
    assert resources.default_data_dir() == tmp_path / "xdg" / "safeguarding-assistant"
    assert resources.default_evals_dir() == tmp_path / "xdg" / "safeguarding-assistant" / "evals"


def test_a_broken_install_names_the_folder_it_should_have(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    package = tmp_path / "site-packages" / "assistant"
    package.mkdir(parents=True)
    monkeypatch.setattr(resources, "_package_dir", lambda: package)
    assert resources.shipped_dir("web") == package / "_bundled" / "web"


def test_only_the_shipped_folders_resolve() -> None:
    with pytest.raises(ValueError, match="not shipped"):
        resources.shipped_dir("evals")  # type: ignore[arg-type]


def test_environment_variables_still_override_every_default(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("DATA_DIR", "CORPUS_DIR", "WEB_DIR", "PROMPTS_DIR", "EVALS_DIR"):
        monkeypatch.setenv(f"ASSISTANT_{name}", str(tmp_path / name.lower()))
    settings = Settings()
    assert settings.data_dir == tmp_path / "data_dir"
    assert settings.corpus_dir == tmp_path / "corpus_dir"
    assert settings.web_dir == tmp_path / "web_dir"
    assert settings.prompts_dir == tmp_path / "prompts_dir"
    assert settings.evals_dir == tmp_path / "evals_dir"


def test_an_installed_package_records_no_commit_of_a_repository_it_sits_in(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from assistant.evaluation import runs

    monkeypatch.setattr(runs, "checkout_root", lambda: None)  # e.g. a venv inside some repo
    assert runs.git_commit() is None
