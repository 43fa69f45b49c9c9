from pathlib import Path

from assistant.keyword import KeywordIndex, tokenize


def test_years_and_acronyms_survive_tokenising() -> None:
    tokens = tokenize("What did the 23-24 report say about CP plans and the LADO?")
    assert {"23", "24", "cp", "lado", "plan"} <= set(tokens)
    assert "the" not in tokens


def test_index_round_trips_and_scopes_by_partnership(tmp_path: Path) -> None:
    index = KeywordIndex.build(
        ["a", "b", "c"],
        [
            "The LADO handles allegations against staff and volunteers.",
            "Child protection plans rose in 2023-24.",
            "Lewisham LADO allegations management.",
        ],
        ["lambeth", "lambeth", "lewisham"],
    )
    index.save(tmp_path)
    loaded = KeywordIndex.load(tmp_path)
    assert {h.passage_id for h in loaded.search("who is the LADO", 5)} == {"a", "c"}
    scoped = loaded.search("LADO allegations", 5, ["lambeth"])
    assert [h.passage_id for h in scoped] == ["a"]
    assert loaded.search("the of and", 5) == []
