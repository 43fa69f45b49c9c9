"""Structured guidance (threshold levels, escalation steps) with citations resolved.

``corpus/thresholds.yaml`` and ``corpus/escalation.yaml`` hold verbatim quotes from the
documents prepared for this assistant. Every ``{doc_id, quote}`` found in them is given
the passage that holds it, so the threshold view and escalation route cite exactly as
answers do; a quote no passage holds is dropped rather than shown uncited.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

log = logging.getLogger(__name__)

Resolver = Callable[[str, str], dict[str, Any] | None]


@dataclass(frozen=True)
class GuidanceData:
    raw_thresholds: dict[str, Any]
    raw_escalation: dict[str, Any]

    @classmethod
    def load(cls, corpus_dir: Path) -> GuidanceData:
        return cls(_read(corpus_dir / "thresholds.yaml"), _read(corpus_dir / "escalation.yaml"))

    def thresholds(self, resolve: Resolver) -> dict[str, Any]:
        return _cite(self.raw_thresholds, resolve) or {}

    def escalation(self, resolve: Resolver) -> dict[str, Any]:
        return _cite(self.raw_escalation, resolve) or {}


def _read(path: Path) -> dict[str, Any]:
    if not path.exists():
        return {}
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as error:
        log.error("%s is not valid YAML and is ignored: %s", path, error)
        return {}
    return data if isinstance(data, dict) else {}


def _cite(node: Any, resolve: Resolver, doc_id: str | None = None) -> Any:
    if isinstance(node, dict):
        doc_id = node.get("doc_id", doc_id)
        if "quote" in node and isinstance(node["quote"], str):
            citation = resolve(str(doc_id), node["quote"]) if doc_id else None
            if citation is None:
                log.warning("guidance quote not found in %s: %.60s", doc_id, node["quote"])
                return None
            return {**node, "citation": citation}
        cited = {key: _cite(value, resolve, doc_id) for key, value in node.items()}
        return {k: v for k, v in cited.items() if v is not None or node.get(k) is None}
    if isinstance(node, list):
        items = [_cite(item, resolve, doc_id) for item in node]
        return [item for item in items if item is not None]
    return node
