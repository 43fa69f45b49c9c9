"""Evaluation suites: the YAML the L&D team writes, validated with file:line messages.

The format is the shared contract in docs/evaluation.md. Authors are not programmers, so
every problem is reported as ``file, line N: what is wrong`` and all problems of a file
are reported together rather than one per run.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Annotated, Any

import yaml
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationError,
    field_validator,
    model_validator,
)

from assistant.types import NOTICE_ORDER, NoticeKind

CASE_ID_PATTERN = r"^[a-z0-9][a-z0-9-]*$"
DEFAULT_K = 5
DEFAULT_PASS_RATE = 1.0
"""The pass mark of a suite that sets none under ``thresholds:``: every case must pass."""


class SuiteProblem(BaseModel):
    """One thing wrong with a suite file, located for its author."""

    file: str
    line: int | None
    message: str

    def __str__(self) -> str:
        where = f"{self.file}, line {self.line}" if self.line else self.file
        return f"{where}: {self.message}"


class SuiteError(ValueError):
    """A suite file that cannot be used; ``problems`` lists every issue found."""

    def __init__(self, problems: Sequence[SuiteProblem]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


def _as_list(value: Any) -> Any:
    """Let authors write ``notices: emergency`` instead of ``notices: [emergency]``."""
    if value is None:
        return []
    if isinstance(value, str | int | float):
        return [value]
    return value


def _as_facts(value: Any) -> Any:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    return value


StrList = Annotated[list[str], BeforeValidator(_as_list)]
NoticeList = Annotated[list[NoticeKind], BeforeValidator(_as_list)]
Fact = str | list[str]


class Expect(BaseModel):
    """What a case's answer (and retrieval) must satisfy; every key is optional."""

    model_config = ConfigDict(extra="forbid")

    passages: StrList = Field(default_factory=list)
    documents: StrList = Field(default_factory=list)
    facts: Annotated[list[Fact], BeforeValidator(_as_facts)] = Field(default_factory=list)
    not_contains: StrList = Field(default_factory=list)
    notices: NoticeList = Field(default_factory=list)
    no_notices: NoticeList = Field(default_factory=list)
    first_notice: NoticeKind | None = None
    refused: bool | None = None
    min_citations: int | None = Field(default=None, ge=0)
    min_fact_coverage: float | None = Field(default=None, ge=0.0, le=1.0)
    """Extension: share of ``facts`` that must be found (suite default, else 1.0)."""
    max_latency_ms: float | None = Field(default=None, gt=0)
    """Extension: the answer must arrive within this many milliseconds."""

    @field_validator("passages", "not_contains")
    @classmethod
    def _no_blank(cls, value: list[str]) -> list[str]:
        if any(not str(v).strip() for v in value):
            raise ValueError("contains an empty entry")
        return value

    @field_validator("facts")
    @classmethod
    def _facts_not_blank(cls, value: list[Fact]) -> list[Fact]:
        for fact in value:
            alternatives = [fact] if isinstance(fact, str) else fact
            if not alternatives or any(not a.strip() for a in alternatives):
                raise ValueError("contains an empty fact")
        return value

    @model_validator(mode="after")
    def _consistent_notices(self) -> Expect:
        both = set(self.notices) & set(self.no_notices)
        if both:
            raise ValueError(
                f"notice {sorted(both)[0]!r} is listed in both 'notices' and 'no_notices'"
            )
        if self.first_notice and self.first_notice in self.no_notices:
            raise ValueError(f"first_notice {self.first_notice!r} is also listed in 'no_notices'")
        return self

    def merged_over(self, defaults: Expect | None) -> Expect:
        """This case's expectations on top of the suite's: lists add up, scalars override."""
        if defaults is None:
            return self
        data: dict[str, Any] = {}
        for name in Expect.model_fields:
            mine, theirs = getattr(self, name), getattr(defaults, name)
            if isinstance(mine, list):
                data[name] = list(theirs) + [v for v in mine if v not in theirs]
            else:
                data[name] = mine if name in self.model_fields_set else theirs
        return Expect.model_validate(data)


class HistoryTurn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    role: Annotated[str, Field(pattern=r"^(user|assistant)$")]
    content: str


class Case(BaseModel):
    """One question and what its answer must (and must not) contain."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(pattern=CASE_ID_PATTERN)
    question: str = Field(min_length=1)
    history: list[HistoryTurn] = Field(default_factory=list)
    partnership: str | None = None
    k: int | None = Field(default=None, ge=1, le=50)
    tags: StrList = Field(default_factory=list)
    expect: Expect = Field(default_factory=Expect)
    description: str | None = None
    """Extension: a note for colleagues on why the case exists (shown in the report)."""
    _line: int | None = PrivateAttr(default=None)

    @property
    def line(self) -> int | None:
        """Where the case starts in its suite file (for messages and reports)."""
        return self._line

    @field_validator("question")
    @classmethod
    def _question_not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("the question is empty")
        return value


class Defaults(BaseModel):
    model_config = ConfigDict(extra="forbid")

    partnership: str | None = None
    k: int = Field(default=DEFAULT_K, ge=1, le=50)
    tags: StrList = Field(default_factory=list)
    min_fact_coverage: float = Field(default=1.0, ge=0.0, le=1.0)
    max_latency_ms: float | None = Field(default=None, gt=0)
    expect: Expect | None = None
    """Extension: expectations added to every case (e.g. a suite-wide ``not_contains``)."""


class Thresholds(BaseModel):
    """Gates: the run exits non-zero when one is not met."""

    model_config = ConfigDict(extra="forbid")

    pass_rate: float | None = Field(default=None, ge=0.0, le=1.0)
    tags: dict[str, float] = Field(default_factory=dict)
    hit_rate: float | None = Field(default=None, ge=0.0, le=1.0)
    """Extension: minimum share of retrieval cases with a hit in the top k."""
    mrr: float | None = Field(default=None, ge=0.0, le=1.0)
    """Extension: minimum mean reciprocal rank over retrieval cases."""

    @field_validator("tags")
    @classmethod
    def _rates(cls, value: dict[str, float]) -> dict[str, float]:
        for tag, rate in value.items():
            if not 0.0 <= rate <= 1.0:
                raise ValueError(f"tag {tag!r}: a pass rate is between 0 and 1, e.g. 0.9 or 1.0")
        return value

    @property
    def is_set(self) -> bool:
        """Whether the suite sets any pass mark (else ``DEFAULT_PASS_RATE`` applies)."""
        return any(
            (self.pass_rate is not None, self.hit_rate is not None, self.mrr is not None, self.tags)
        )


class Suite(BaseModel):
    model_config = ConfigDict(extra="forbid")

    suite: str = Field(pattern=CASE_ID_PATTERN)
    description: str = ""
    defaults: Defaults = Field(default_factory=Defaults)
    thresholds: Thresholds = Field(default_factory=Thresholds)
    cases: list[Case] = Field(min_length=1)
    _path: str = PrivateAttr(default="")

    @property
    def path(self) -> str:
        """The file the suite was loaded from."""
        return self._path

    @property
    def name(self) -> str:
        return self.suite

    def case_tags(self, case: Case) -> list[str]:
        return list(dict.fromkeys([*self.defaults.tags, *case.tags]))

    def case_k(self, case: Case) -> int:
        return case.k or self.defaults.k

    def case_partnership(self, case: Case) -> str | None:
        return case.partnership or self.defaults.partnership

    def case_expect(self, case: Case) -> Expect:
        expect = case.expect.merged_over(self.defaults.expect)
        updates: dict[str, Any] = {}
        if expect.min_fact_coverage is None:
            updates["min_fact_coverage"] = self.defaults.min_fact_coverage
        if expect.max_latency_ms is None and self.defaults.max_latency_ms is not None:
            updates["max_latency_ms"] = self.defaults.max_latency_ms
        return expect.model_copy(update=updates) if updates else expect


# --- YAML with line numbers -------------------------------------------------------------


class _LineDict(dict[Any, Any]):
    """A mapping that remembers where it and each of its keys started."""

    line: int = 0

    def __init__(self) -> None:
        super().__init__()
        self.lines: dict[Any, int] = {}


class _LineList(list[Any]):
    line: int = 0

    def __init__(self) -> None:
        super().__init__()
        self.lines: list[int] = []


class _DuplicateKey(Exception):
    def __init__(self, key: Any, line: int, first: int) -> None:
        self.key, self.line, self.first = key, line, first
        super().__init__(key)


class _LineLoader(yaml.SafeLoader):
    """SafeLoader that builds _LineDict/_LineList and refuses duplicate keys."""


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> _LineDict:
    loader.flatten_mapping(node)
    result = _LineDict()
    result.line = node.start_mark.line + 1
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        line = key_node.start_mark.line + 1
        if key in result:
            raise _DuplicateKey(key, line, result.lines[key])
        result[key] = loader.construct_object(value_node, deep=True)
        result.lines[key] = line
    return result


def _construct_sequence(loader: _LineLoader, node: yaml.SequenceNode) -> _LineList:
    result = _LineList()
    result.line = node.start_mark.line + 1
    for child in node.value:
        result.append(loader.construct_object(child, deep=True))
        result.lines.append(child.start_mark.line + 1)
    return result


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)


def _line_of(data: Any, loc: Sequence[int | str]) -> int | None:
    """The line of the deepest YAML node on the path ``loc`` that exists."""
    line: int | None = getattr(data, "line", None) or None
    node = data
    for part in loc:
        if isinstance(node, _LineDict) and part in node:
            line = node.lines.get(part, line)
            node = node[part]
        elif isinstance(node, _LineList) and isinstance(part, int) and 0 <= part < len(node):
            line = node.lines[part]
            node = node[part]
        else:
            break
    return line


def _describe_loc(data: Any, loc: Sequence[int | str]) -> str:
    """``cases → lado-who → expect → refused`` (case ids rather than list positions)."""
    parts: list[str] = []
    node = data
    for part in loc:
        if isinstance(part, int):
            if isinstance(node, list) and 0 <= part < len(node):
                item = node[part]
                case_id = item.get("id") if isinstance(item, dict) else None
                parts.append(
                    f"case {case_id!r}"
                    if case_id and parts[-1:] == ["cases"]
                    else f"item {part + 1}"
                )
                node = item
            else:
                parts.append(f"item {part + 1}")
                node = None
        else:
            parts.append(str(part))
            node = node.get(part) if isinstance(node, dict) else None
    return " → ".join(p for p in parts if not p.startswith(("function-", "list[", "str")))


_FIELD_HINTS: dict[str, str] = {
    "refused": "must be true or false",
    "min_citations": "must be a whole number, e.g. 1",
    "k": "must be a whole number between 1 and 50",
    "id": "must use lower-case letters, digits and hyphens only, e.g. lado-who",
    "suite": "must use lower-case letters, digits and hyphens only, e.g. thresholds-dev",
}


def _friendly_message(error: Any, fields_here: Iterable[str]) -> str:
    kind = error["type"]
    loc = [p for p in error["loc"] if isinstance(p, int | str)]
    field = next((str(p) for p in reversed(loc) if isinstance(p, str)), "")
    if kind == "extra_forbidden":
        close = difflib.get_close_matches(field, list(fields_here), n=1)
        hint = f" — did you mean {close[0]!r}?" if close else ""
        allowed = ", ".join(sorted(fields_here))
        return f"unknown field {field!r}{hint} (allowed here: {allowed})"
    if kind == "missing":
        return f"{field!r} is required but missing"
    if kind == "literal_error":
        return f"{error['input']!r} is not a notice kind; use one of: {', '.join(NOTICE_ORDER)}"
    if kind == "string_pattern_mismatch" and field in _FIELD_HINTS:
        return f"{field} {error['input']!r} {_FIELD_HINTS[field]}"
    if kind == "string_pattern_mismatch" and field == "role":
        return f"role {error['input']!r} must be 'user' or 'assistant'"
    if kind == "too_short" and field == "question":
        return "the question is empty; write the question in quotes after 'question:'"
    if kind == "too_short" and field == "cases":
        return "the suite has no cases; add at least one under 'cases:'"
    if field in _FIELD_HINTS and kind.endswith(("_parsing", "_type")):
        return f"{field} {_FIELD_HINTS[field]}, not {error.get('input')!r}"
    message = str(error["msg"])
    if message.startswith("Value error, "):
        message = message[len("Value error, ") :]
    return f"{field}: {message}" if field else message


_NESTED_MODELS: dict[str, type[BaseModel]] = {}


def _fields_at(loc: Sequence[int | str]) -> list[str]:
    """The field names allowed at the level of ``loc`` (for 'did you mean')."""
    model: type[BaseModel] = Suite
    for part in loc[:-1]:
        if isinstance(part, int):
            continue
        field = model.model_fields.get(str(part))
        if field is None:
            break
        target = _NESTED_MODELS.get(str(part))
        if target is None:
            break
        model = target
    return list(model.model_fields)


_NESTED_MODELS.update(
    cases=Case, defaults=Defaults, thresholds=Thresholds, expect=Expect, history=HistoryTurn
)


def parse_suite(text: str, file: str = "<suite>") -> Suite:
    """Validate suite YAML text; raise SuiteError listing every problem with its line."""
    try:
        data = yaml.load(text, Loader=_LineLoader)
    except _DuplicateKey as dup:
        raise SuiteError(
            [
                SuiteProblem(
                    file=file,
                    line=dup.line,
                    message=(
                        f"{dup.key!r} appears twice in the same block "
                        f"(first on line {dup.first}); merge the two into one list"
                    ),
                )
            ]
        ) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        problem = exc.problem or "not valid YAML"
        raise SuiteError(
            [
                SuiteProblem(
                    file=file,
                    line=line,
                    message=f"the YAML cannot be read ({problem}). Check the indentation, and put "
                    "text containing ':' or '#' in quotes",
                )
            ]
        ) from None
    if not isinstance(data, dict):
        raise SuiteError(
            [
                SuiteProblem(
                    file=file,
                    line=1,
                    message="a suite must start with 'suite: <name>' followed by 'cases:'",
                )
            ]
        )
    try:
        suite = Suite.model_validate(data)
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            loc = [p for p in error["loc"] if isinstance(p, int | str)]
            # Drop pydantic's union branch labels such as 'str' / 'list[str]'.
            clean = [p for p in loc if not (isinstance(p, str) and ("[" in p or p == "str"))]
            where = _describe_loc(data, clean)
            message = _friendly_message(error, _fields_at(clean))
            problems.append(
                SuiteProblem(
                    file=file,
                    line=_line_of(data, clean),
                    message=f"{message} (in {where})" if where else message,
                )
            )
        unique = sorted(
            {(p.line, p.message): p for p in problems}.values(), key=lambda p: p.line or 0
        )
        raise SuiteError(unique) from None
    problems = []
    seen: dict[str, int] = {}
    raw_cases = data.get("cases")
    for index, case in enumerate(suite.cases):
        line = raw_cases.lines[index] if isinstance(raw_cases, _LineList) else None
        case._line = line
        if case.id in seen:
            problems.append(
                SuiteProblem(
                    file=file,
                    line=line,
                    message=f"case id {case.id!r} is used twice (first on line {seen[case.id]}); "
                    "give each case its own id",
                )
            )
        seen.setdefault(case.id, line or 0)
    if problems:
        raise SuiteError(problems)
    suite._path = file
    return suite


def load_suite(path: Path) -> Suite:
    """Read and validate one suite file."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise SuiteError(
            [SuiteProblem(file=str(path), line=None, message=f"cannot be read: {exc}")]
        ) from None
    return parse_suite(text, str(path))


def suite_files(paths: Iterable[Path]) -> list[Path]:
    """Expand folders to the ``*.yaml``/``*.yml`` files directly inside them (not baseline/)."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(
                sorted(p for p in path.iterdir() if p.suffix in {".yaml", ".yml"} and p.is_file())
            )
        else:
            files.append(path)
    return files


def load_suites(paths: Iterable[Path]) -> list[Suite]:
    """Load every suite; collect the problems of all files before raising."""
    suites: list[Suite] = []
    problems: list[SuiteProblem] = []
    names: dict[str, str] = {}
    for file in suite_files(paths):
        if not file.exists():
            problems.append(SuiteProblem(file=str(file), line=None, message="file not found"))
            continue
        try:
            suite = load_suite(file)
        except SuiteError as exc:
            problems.extend(exc.problems)
            continue
        if suite.suite in names:
            problems.append(
                SuiteProblem(
                    file=str(file),
                    line=1,
                    message=f"suite name {suite.suite!r} is already used by {names[suite.suite]}",
                )
            )
            continue
        names[suite.suite] = str(file)
        suites.append(suite)
    if problems:
        raise SuiteError(problems)
    return suites
