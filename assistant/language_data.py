"""The language layer's data: slang, practitioners' shorthand and framing words.

Loaded once from ``corpus/language/shorthand.yaml`` (data, not Python), shared by the
normaliser in ``assistant.triage.text`` and the focus of a question in
``assistant.compose.focus``.
"""

from __future__ import annotations

from functools import lru_cache

import yaml
from pydantic import BaseModel, Field

from assistant.resources import shipped_dir

SHORTHAND_FILE = shipped_dir("corpus") / "language" / "shorthand.yaml"


class LanguageData(BaseModel):
    slang: dict[str, str]
    """Text-speak → plain words, applied wherever a message is normalised."""
    practice: dict[str, str] = Field(default_factory=dict)
    """Practitioners' shorthand → the documents' words, applied to a question's focus."""
    framing: frozenset[str] = frozenset()
    """Words that frame a question but are not its topic."""
    neighbourhoods: frozenset[str] = frozenset()
    """Area names that place a question ("near vauxhall") but are not its topic."""
    stop_words: frozenset[str] = frozenset()
    """English function words and question-framing verbs: no topic of their own."""


@lru_cache(maxsize=1)
def language_data() -> LanguageData:
    return LanguageData.model_validate(yaml.safe_load(SHORTHAND_FILE.read_text(encoding="utf-8")))
