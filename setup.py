"""Build hook: the wheel carries web/, prompts/ and corpus/ as package data.

The folders stay at the repository root (the developers' guide mandates it). ``build_py``
copies them into the build directory as ``assistant/_bundled/<name>/``, never into the
source tree; ``assistant.resources`` reads them with ``importlib.resources`` once
installed. Editable installs copy nothing: they read the checkout. Everything else about
the package is in pyproject.toml.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

BUNDLED = "_bundled"
BUNDLED_DIRS = ("web", "prompts", "corpus")
SKIPPED = shutil.ignore_patterns("__pycache__", "*.py[cod]", ".*")


def _refuse_links(folder: Path) -> None:
    """The ingest refuses symlinked corpus paths; a build does not turn one into a copy."""
    for path in [folder, *folder.rglob("*")]:
        if path.is_symlink():
            raise SystemExit(f"{path} is a symbolic link: the wheel holds real files only")


class BuildPyWithBundledData(build_py):
    """``build_py`` plus copies of the shipped folders under ``assistant/_bundled/``."""

    def run(self) -> None:
        super().run()
        if self.editable_mode:
            return
        target_root = Path(self.build_lib) / "assistant" / BUNDLED
        shutil.rmtree(target_root, ignore_errors=True)  # no stale files from an older build
        for name in BUNDLED_DIRS:
            source = Path(name)
            if not source.is_dir():
                raise SystemExit(f"{name}/ is missing: the wheel must ship it (see MANIFEST.in)")
            _refuse_links(source)
            shutil.copytree(source, target_root / name, ignore=SKIPPED)

    def get_outputs(self, include_bytecode: bool = True) -> list[str]:
        outputs = list(super().get_outputs(include_bytecode))
        if not self.editable_mode:
            folder = Path(self.build_lib) / "assistant" / BUNDLED
            outputs += [str(path) for path in folder.rglob("*") if path.is_file()]
        return outputs


setup(cmdclass={"build_py": BuildPyWithBundledData})
