"""Where the package's own files are: the checkout's folders, or the wheel's bundled copies.

``web/``, ``prompts/`` and ``corpus/`` live at the repository root (the developers'
guide). A wheel carries copies of them as package data under ``assistant/_bundled/``
(``setup.py`` copies them into the build directory only; the checkout never holds
them), read here with ``importlib.resources``. A checkout or an editable install has no
``_bundled/`` and reads the repository's folders.

Data the package writes (index, SQLite) goes to the checkout's ``data/`` in a checkout
and to the per-user data directory of the platform otherwise
(``$XDG_DATA_HOME/safeguarding-assistant``, by default
``~/.local/share/safeguarding-assistant`` on Linux). Every one of these is only a
default: the ``ASSISTANT_*_DIR`` settings override them.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path
from typing import Literal

from platformdirs import user_data_dir

APP_NAME = "safeguarding-assistant"
BUNDLED = "_bundled"
"""The folder inside the installed package holding the copies (setup.py writes it)."""
BUNDLED_DIRS: tuple[str, ...] = ("web", "prompts", "corpus")

Shipped = Literal["web", "prompts", "corpus"]


def _package_dir() -> Path:
    root = files(__package__ or "assistant")
    if not isinstance(root, Path):  # e.g. imported from a zip file
        raise RuntimeError(
            f"the assistant package must be installed as files, not from {root}: "
            "StaticFiles and the template loader need real folders"
        )
    return root


def bundled_dir() -> Path | None:
    """``assistant/_bundled`` of an installed wheel, or None (checkout, editable install)."""
    folder = _package_dir() / BUNDLED
    return folder if folder.is_dir() else None


def checkout_root() -> Path | None:
    """The repository root when the package runs from a checkout, else None."""
    if bundled_dir() is not None:
        return None
    root = _package_dir().parent
    if (root / "pyproject.toml").is_file() and all((root / n).is_dir() for n in BUNDLED_DIRS):
        return root
    return None


def shipped_dir(name: Shipped) -> Path:
    """The folder ``name`` (web, prompts or corpus) this installation ships.

    An installation with neither gets the bundled location, so the error that follows
    names the folder the wheel should have held."""
    if name not in BUNDLED_DIRS:
        raise ValueError(f"{name!r} is not shipped with the package ({', '.join(BUNDLED_DIRS)})")
    root = checkout_root()
    if root is not None:
        return root / name
    return _package_dir() / BUNDLED / name


def default_data_dir() -> Path:
    """``data/`` in a checkout; the per-user data directory for an installed package."""
    root = checkout_root()
    if root is not None:
        return root / "data"
    return Path(user_data_dir(APP_NAME, appauthor=False))


def default_evals_dir() -> Path:
    """``evals/`` in a checkout (suites and the committed baseline run); an installed
    package ships no evaluation suites, so a folder beside its data by default."""
    root = checkout_root()
    if root is not None and (root / "evals").is_dir():
        return root / "evals"
    return default_data_dir() / "evals"


def package_version() -> str | None:
    """The installed package's version, or None when imported from a folder never installed."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(APP_NAME)
    except PackageNotFoundError:
        return None
