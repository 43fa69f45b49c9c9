"""Follow-up questions made standalone before retrieval, without a model.

Retrieval sees one question at a time, so "and who ratifies its decisions?" must carry
the LSCP executive board it follows from. The rules are deliberately simple and
predictable: only questions that plainly lean on the conversation (an opening
"and"/"what about", a pronoun with nothing to refer to, only a borough or a year) are
rewritten. Only a borough or a year re-asks the previous question there; "what about X"
swaps the previous question's topic; any other follow-up is searched joined to the
question it follows ("who ratifies its decisions? what does the LSCP executive board
do"). Everything else passes through unchanged. (With an LLM configured,
``LLMComposer.condense`` is used instead.)
"""

from __future__ import annotations

import re

from assistant.compose.terms import STOP_WORDS, terms
from assistant.errors import HistoryError
from assistant.triage.text import is_question, sentences
from assistant.types import Turn

MAX_HISTORY_TURNS = 20
MAX_HISTORY_CHARS = 20_000
"""Bounds on the conversation a follow-up carries: every turn is read by pattern matching,
so one request must not be able to hand the server megabytes of it."""


def check_history(turns: list[Turn]) -> list[Turn]:
    """``turns`` unchanged; ``HistoryError`` (a 422) past 20 turns or 20,000 characters."""
    if len(turns) > MAX_HISTORY_TURNS:
        raise HistoryError(
            f"history can hold at most {MAX_HISTORY_TURNS} turns (it has {len(turns):,}): "
            "send only the most recent turns of the conversation."
        )
    size = sum(len(turn.content) for turn in turns)
    if size > MAX_HISTORY_CHARS:
        raise HistoryError(
            f"history can hold at most {MAX_HISTORY_CHARS:,} characters in all (it has "
            f"{size:,}): send only the most recent turns of the conversation."
        )
    return turns


def recent_history(turns: list[Turn]) -> list[Turn]:
    """The most recent turns that fit the bounds (for history the server keeps itself)."""
    kept: list[Turn] = []
    size = 0
    for turn in reversed(turns[-MAX_HISTORY_TURNS:]):
        size += len(turn.content)
        if size > MAX_HISTORY_CHARS:
            break
        kept.append(turn)
    return kept[::-1]


_BOROUGH_WORDS = """
    barking dagenham barnet bexley brent bromley camden croydon ealing enfield greenwich
    hackney hammersmith fulham haringey harrow havering hillingdon hounslow islington
    kensington chelsea kingston lambeth lewisham merton newham redbridge richmond southwark
    sutton tower hamlets waltham forest wandsworth westminster city london
"""
BOROUGHS = frozenset(_BOROUGH_WORDS.split())
"""Words of London borough names (the partnerships a question may switch between)."""

_OPENER = re.compile(
    r"^\s*(?:(?:and|but|so|also|ok|okay|then)\b[\s,]*)*"
    r"(?:(?:what|how) about|what of|same for|and for)?\b[\s,]*",
    re.IGNORECASE,
)
_SWITCH = re.compile(r"^\s*(?:(?:and|but|so|ok|okay)\b[\s,]*)*(?:what|how) about\b", re.I)
_AND = re.compile(r"^\s*(?:and|also|but|so)\b", re.IGNORECASE)
_TOKEN = re.compile(r"[A-Za-z][A-Za-z'’-]*|\d{2,4}(?:[-/]\d{2,4})?|[^\sA-Za-z\d]")
_YEAR = re.compile(r"^(?:19|20)\d{2}(?:[-/]\d{2,4})?$")
_PRONOUNS = {"it", "they", "them", "its", "their", "theirs"}
_DEMONSTRATIVES = {"this", "that", "these", "those"}
_DETERMINERS = {"a", "an", "the", "my", "our", "your", "his", "her"}
_QUESTION_WORDS = {"what", "who", "whom", "which", "when", "where", "why", "how", "whose"}
_NOT_SUBJECT = STOP_WORDS | _QUESTION_WORDS | {"do", "does", "did", "say", "says", "mean"}


def _tokens(text: str) -> list[str]:
    return _TOKEN.findall(text)


def _is_place_or_year(token: str) -> bool:
    return token.lower() in BOROUGHS or bool(_YEAR.match(token))


def _subject_runs(question: str) -> list[str]:
    """Runs of consecutive content words ("LSCP executive board", "annual report")."""
    runs: list[list[str]] = [[]]
    for token in _tokens(question):
        word = token.lower().replace("’", "'")
        content = token[:1].isalnum() and word not in _NOT_SUBJECT and not _is_place_or_year(token)
        if content:
            runs[-1].append(token)
        elif runs[-1]:
            runs.append([])
    return [" ".join(run) for run in runs if run]


def _refers_back(question: str) -> bool:
    """A pronoun with no noun phrase before it to refer to ("who ratifies its decisions")."""
    toks = [t.lower() for t in _tokens(question)]
    short = len([t for t in toks if t[:1].isalnum()]) <= 6
    for i, tok in enumerate(toks):
        if tok in _PRONOUNS or (tok in _DEMONSTRATIVES and short):
            return not any(t in _DETERMINERS for t in toks[:i])
    return False


def _only_place_or_year(question: str) -> bool:
    body = _OPENER.sub("", question)
    content = [t for t in _tokens(body) if t[:1].isalnum() and t.lower() not in STOP_WORDS]
    return bool(content) and all(_is_place_or_year(t) for t in content)


def is_follow_up(question: str, history: list[Turn]) -> bool:
    """True if the question only makes sense with the conversation before it."""
    if not any(turn.role == "user" for turn in history):
        return False
    if _only_place_or_year(question) or _SWITCH.match(question) or _refers_back(question):
        return True
    return bool(_AND.match(question)) and len(terms(question)) <= 4


def _strip_places(question: str) -> str:
    out = re.sub(
        r"\s*\b(?:in|for|at|of)\s+(?:the\s+)?(?:london\s+borough\s+of\s+)?"
        r"(?:" + "|".join(sorted(BOROUGHS, key=len, reverse=True)) + r")\b",
        "",
        question,
        flags=re.IGNORECASE,
    )
    out = re.sub(r"\s*\b(?:in|for|during)\s+(?:19|20)\d{2}(?:[-/]\d{2,4})?\b", "", out)
    return out.strip().rstrip("?").strip()


def _tidy(text: str) -> str:
    text = re.sub(r"\bthe the\b", "the", text, flags=re.IGNORECASE)
    text = re.sub(r"\s+", " ", text).strip().rstrip("?").strip()
    return text + "?"


def standalone_question(question: str, history: list[Turn]) -> str:
    """Rewrite a follow-up as a question that stands alone; pass others through unchanged."""
    if not is_follow_up(question, history):
        return question
    user_turns = [key_question(turn.content) for turn in history if turn.role == "user"]
    previous = standalone_question(
        user_turns[-1], [Turn(role="user", content=t) for t in user_turns[:-1]]
    )
    body = _OPENER.sub("", question).strip().rstrip("?").strip()

    if _only_place_or_year(question):
        # "what about in Lewisham?" → the previous question, asked about Lewisham.
        if not re.match(r"(?:in|for|at|during|of)\b", body, re.IGNORECASE):
            body = f"in {body}"
        return _tidy(f"{_strip_places(previous)} {body}")
    if _SWITCH.match(question) and not _refers_back(body):
        # "what about neglect?" → the previous question with its topic swapped.
        runs = _subject_runs(previous)
        new_topic = re.sub(r"^(?:the|a|an)\s+", "", body, flags=re.IGNORECASE)
        if runs and new_topic:
            return _tidy(previous.replace(runs[-1], new_topic, 1))
    # Otherwise the follow-up and the question it follows, joined: "and who takes it up
    # after that?" after "how long do we have to resolve a disagreement by discussion?"
    # keeps the disagreement in the search. Putting a subject in place of "it" guessed
    # wrong too often ("who takes the long up"), and retrieval over the joined turns found
    # the passage far more often.
    return _tidy(f"{body}? {previous}") if body else previous


LONG_MESSAGE_WORDS = 30
"""Past this many words a message is an account of a case with its question at the end."""
VAGUE_TERMS = frozenset({"anyth", "someth", "everyth", "noth", "thing", "stuff", "situat"})
"""Content words that name nothing ("do i need to do anything about this situation")."""


def key_question(text: str) -> str:
    """The question a long message asks, to search with: its last sentence that asks
    something ("…mum keeps ringing the office. what are the timescales i can tell her"),
    with the sentence before it when it names nothing on its own ("…she's staying with
    a family friend. do i need to do anything"). A short message, or one whose sentences
    ask nothing, is searched whole: the account's words then are the question."""
    if len(text.split()) <= LONG_MESSAGE_WORDS:
        return text
    parts = sentences(text)
    asking = [i for i, sentence in enumerate(parts) if is_question(sentence)]
    if len(parts) < 2 or not asking:
        return text
    last = start = asking[-1]
    while start > 0 and not set(terms(" ".join(parts[start : last + 1]))) - VAGUE_TERMS:
        start -= 1
    return " ".join(parts[start : last + 1])
