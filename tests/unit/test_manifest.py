"""The manifest: the real one loads, and a broken one says which entry and what is wrong."""

from __future__ import annotations

from pathlib import Path
from textwrap import dedent

import pytest

from assistant.corpus import ManifestError, load_manifest

REPO_ROOT = Path(__file__).resolve().parents[2]
SEED_IDS = {
    "lambeth-lscp-annual-report-2023-24",
    "lambeth-lscp-annual-report-2020-21",
    "lambeth-safeguarding-arrangements-2025",
    "lambeth-roadmap-to-excellence-2023-26",
    "lewisham-lscb-annual-report-2016-17",
}

GOOD_ENTRY = """\
  - id: {id}
    title: A guide
    publisher: Lambeth Safeguarding Children Partnership
    partnership: lambeth
    kind: {kind}
    published: {published}
    status: current
    file: {file}
"""


def write_manifest(tmp_path: Path, *entries: dict[str, str]) -> Path:
    body = "documents:\n"
    for entry in entries:
        values = {"id": "guide", "kind": "procedure", "published": "2024-01-01"}
        values["file"] = "documents/guide.md"
        values.update(entry)
        body += GOOD_ENTRY.format(**values)
    (tmp_path / "manifest.yaml").write_text(body, encoding="utf-8")
    return tmp_path


def test_real_manifest_lists_the_seed_documents_with_their_metadata() -> None:
    docs = load_manifest(REPO_ROOT / "corpus")
    by_id = {doc.id: doc for doc in docs}
    assert set(by_id) >= SEED_IDS
    assert by_id["lewisham-lscb-annual-report-2016-17"].partnership == "lewisham"
    assert by_id["lambeth-lscp-annual-report-2020-21"].status == "historical"
    assert len(by_id) == len(docs)


def test_valid_entries_load_in_manifest_order(tmp_path: Path) -> None:
    write_manifest(tmp_path, {"id": "b-guide"}, {"id": "a-guide", "file": "documents/a.txt"})
    assert [doc.id for doc in load_manifest(tmp_path)] == ["b-guide", "a-guide"]


def test_duplicate_ids_are_rejected_naming_both_entries(tmp_path: Path) -> None:
    write_manifest(tmp_path, {"id": "guide"}, {"id": "other"}, {"id": "guide"})
    with pytest.raises(ManifestError) as caught:
        load_manifest(tmp_path)
    message = str(caught.value)
    assert "manifest.yaml" in message
    assert "entry 3 (id 'guide')" in message
    assert "duplicate id 'guide' (already used by entry 1)" in message


def test_invalid_fields_are_reported_readably_for_every_bad_entry(tmp_path: Path) -> None:
    write_manifest(
        tmp_path,
        {"id": "guide", "published": "last spring"},
        {"id": "leaflet", "kind": "poster"},
    )
    with pytest.raises(ManifestError) as caught:
        load_manifest(tmp_path)
    message = str(caught.value)
    assert "entry 1 (id 'guide'): published:" in message
    assert "'last spring'" in message
    assert "entry 2 (id 'leaflet'): kind:" in message
    assert "'poster'" in message
    assert "Traceback" not in message and "pydantic" not in message


def test_missing_required_field_is_named(tmp_path: Path) -> None:
    (tmp_path / "manifest.yaml").write_text(
        "documents:\n  - id: guide\n    title: A guide\n", encoding="utf-8"
    )
    with pytest.raises(ManifestError, match=r"entry 1 \(id 'guide'\): publisher: required"):
        load_manifest(tmp_path)


def test_file_outside_the_corpus_folder_is_rejected(tmp_path: Path) -> None:
    write_manifest(tmp_path, {"file": "../secrets.txt"})
    with pytest.raises(ManifestError, match="must be a path inside the corpus folder"):
        load_manifest(tmp_path)


def test_missing_manifest_and_wrong_shape_are_explained(tmp_path: Path) -> None:
    with pytest.raises(ManifestError, match="manifest not found"):
        load_manifest(tmp_path)
    (tmp_path / "manifest.yaml").write_text("- id: guide\n", encoding="utf-8")
    with pytest.raises(ManifestError, match="'documents' list"):
        load_manifest(tmp_path)
    (tmp_path / "manifest.yaml").write_text(dedent("documents: [\n  oops"), encoding="utf-8")
    with pytest.raises(ManifestError, match="not valid YAML"):
        load_manifest(tmp_path)


def test_limits_and_the_practice_kinds_load(tmp_path: Path) -> None:
    manifest = write_manifest(tmp_path, {"kind": "guidance"})
    text = manifest.joinpath("manifest.yaml").read_text(encoding="utf-8")
    text += '    limits:\n      - "The hours are not confirmed."\n'
    manifest.joinpath("manifest.yaml").write_text(text.replace("lambeth\n", "national\n", 1))
    (doc,) = load_manifest(tmp_path)
    assert doc.kind == "guidance" and doc.partnership == "national"
    assert doc.limits == ["The hours are not confirmed."]
    write_manifest(tmp_path, {"kind": "definition"})
    assert load_manifest(tmp_path)[0].limits == []  # optional


def test_limits_must_be_a_list_of_strings(tmp_path: Path) -> None:
    manifest = write_manifest(tmp_path)
    path = manifest.joinpath("manifest.yaml")
    path.write_text(path.read_text(encoding="utf-8") + "    limits: {hours: unknown}\n")
    with pytest.raises(ManifestError, match="limits"):
        load_manifest(tmp_path)


def test_real_practice_documents_carry_their_limits() -> None:
    by_id = {doc.id: doc for doc in load_manifest(REPO_ROOT / "corpus")}
    assert by_id["practice-out-of-hours"].limits
    assert by_id["practice-private-fostering"].partnership == "national"
    assert any(
        "Escalation Flowchart 2022" in limit for limit in by_id["lambeth-escalation-guide"].limits
    )
