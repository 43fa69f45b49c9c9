"""Dev script: words-per-passage distribution of the real corpus (run from the repo root).

.venv/bin/python tests/passage_stats.py [corpus_dir]
"""

from __future__ import annotations

import statistics
import sys
from pathlib import Path

from assistant.chunking import chunk_document
from assistant.corpus import load_document, load_manifest


def main(corpus_dir: Path) -> None:
    all_counts: list[int] = []
    for doc in load_manifest(corpus_dir):
        clean = load_document(doc, corpus_dir)
        counts = [len(p.text.split()) for p in chunk_document(clean)]
        all_counts += counts
        print(
            f"{doc.id:45s} sections={len(clean.sections):3d} passages={len(counts):3d} "
            f"median={statistics.median(counts):5.0f} min={min(counts):3d} max={max(counts):3d}"
        )
    bands = [(0, 20), (20, 60), (60, 80), (80, 220), (220, 251), (251, 10_000)]
    total = len(all_counts)
    print(f"all: passages={total} median={statistics.median(all_counts):.0f}")
    for low, high in bands:
        n = sum(low <= c < high for c in all_counts)
        print(f"  {low:4d}-{high - 1:<5d} words: {n:4d} ({100 * n / total:4.1f}%)")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("corpus"))
