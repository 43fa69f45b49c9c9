"""The fixed tune / held-out split of every dev set.

An item belongs to *tune* when the first 8 hex digits of the SHA-256 of its id, as a
number, fall in the lowest 60 % of the range; otherwise it is *held-out*. The split never
changes when items are added or reordered, so weights, thresholds and patterns are fitted
on tune only and the held-out figures stay honest.
"""

from __future__ import annotations

import hashlib
from typing import Literal

__all__ = ["TUNE_SHARE", "Split", "split_of"]

Split = Literal["tune", "held-out"]
TUNE_SHARE = 0.6


def split_of(item_id: str) -> Split:
    value = int(hashlib.sha256(item_id.encode("utf-8")).hexdigest()[:8], 16)
    return "tune" if value < TUNE_SHARE * 0x1_0000_0000 else "held-out"
