"""EUC request and response schemas (OpenAPI). Requests derive from `register.schemas.In` (unknown keys refused at
any depth, every string bounded, no control character); the query's meaning is checked again by `euc.rules`
(the Python API takes the same dict). Responses derive from `register.schemas.Exact`: every key the queries send."""

from __future__ import annotations

from typing import Any, Union

from pydantic import ConfigDict, Field, model_validator
from pydantic_core import PydanticCustomError

from jumin.euc.rules import MAX_DEPTH
from jumin.register.schemas import Exact, In, Text

Scalar = Union[bool, int, float, Text(200)]


class ParamIn(In):
    """A value taken from the query's parameters at run time (a saved query re-run with parameters)."""

    param: Text(50)


class ConditionIn(In):
    """A condition {item, op, value} or a group {all: […]} / {any: […]} (nested at most 3 deep, 50 conditions)."""

    item: Text(100) | None = None
    op: Text(20) | None = None
    value: Union[Scalar, list[Scalar], ParamIn, None] = None
    all: list[ConditionIn] | None = Field(default=None, max_length=50)
    any: list[ConditionIn] | None = Field(default=None, max_length=50)

    @model_validator(mode="before")
    @classmethod
    def _refuse_deep_groups(cls, data):
        """Measured on the raw value before the nested groups are validated: validating each level of a
        recursive schema costs about twice the level below, so a 60-deep query would never come back."""
        if _group_depth(data) > MAX_DEPTH:
            raise PydanticCustomError("too_deep", "groups nested deeper than {max_depth}", {"max_depth": MAX_DEPTH})
        return data


def _group_depth(node, limit: int = MAX_DEPTH + 1) -> int:
    """How deep {all: […]} / {any: […]} groups nest in a raw condition (counting stops past `limit`)."""
    if not isinstance(node, dict) or limit <= 0:
        return 0
    children = [c for key in ("all", "any") if isinstance(node.get(key), list) for c in node[key]]
    if not any(key in node for key in ("all", "any")):
        return 0
    return 1 + max((_group_depth(c, limit - 1) for c in children), default=0)


class PeriodIn(In):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    from_: Union[Text(30), ParamIn] = Field(alias="from")
    to: Union[Text(30), ParamIn]


class SortIn(In):
    item: Text(100)
    desc: bool = False


ParamValue = Union[bool, int, float, Text(200), list[Union[int, float, Text(200)]]]


class QueryIn(In):
    """The wizard's query (platform.md §6): data, never SQL."""

    dataset: Text(30)
    as_of: Union[Text(30), ParamIn, None] = None
    include_removed: bool = False
    period: PeriodIn | None = None
    items: list[Text(100)] = Field(default=[], max_length=200)
    where: ConditionIn | None = None
    sort: list[SortIn] = Field(default=[], max_length=10)
    count_by: list[Text(100)] = Field(default=[], max_length=4)
    params: dict[Text(50), ParamValue] = Field(default={}, max_length=20)
    include_protected: bool = False
    include_individual_number: bool = False


class PreviewIn(In):
    query: QueryIn
    rows: int = Field(default=20, ge=1, le=200)


class RunIn(In):
    query: QueryIn
    output: Text(20)
    saved_query_id: int | None = None


class SaveIn(In):
    name: Text(100)
    query: QueryIn


def query_dict(query: QueryIn) -> dict:
    """The query as the client sent it (only the keys it sent), for the Python API."""
    return query.model_dump(by_alias=True, exclude_unset=True)


# ------------------------------------------------------------------ answers

Cell = Union[bool, int, float, str, None]


class CatalogueItemOut(Exact):
    name: str
    ja: str
    type: str
    codes: list[list[str]]
    derived: bool
    needs_flag: str | None


class DatasetOut(Exact):
    """A dataset the user may extract, with the items they may use (those needing a flag say which)."""

    code: str
    ja: str
    needs: list[str]
    description: str
    include_removed: bool
    items: list[CatalogueItemOut]


class ColumnOut(Exact):
    name: str
    ja: str


class PreviewOut(Exact):
    """The first rows and the total; for count_by the first groups, `total` groups and `persons` counted."""

    run_id: int
    dataset: str
    total: int
    persons: int
    columns: list[ColumnOut]
    rows: list[list[Cell]]
    left_out: list[list[str]]
    query: dict[str, Any]


class ReplacedOut(Exact):
    """One character the Shift_JIS file could not hold as itself: what it became, how often, where."""

    char: str
    code: str
    replacement: str
    replacement_code: str
    count: int
    rows: list[int]
    columns: list[str]


class RunOut(Exact):
    """One EUC run as the EUC log keeps it (the file's subjects are not listed: `subjects` counts them)."""

    id: int
    kind: str
    at: str
    username: str
    role: str
    department: str
    terminal: str
    dataset: str
    dataset_label: str
    query: dict[str, Any]
    output: str
    output_label: str
    rows: int
    columns: list[str]
    left_out: list[list[str]]
    individual_number: bool
    include_protected: bool
    status: str
    status_label: str
    needs_approval_reason: str
    approver: str
    approved_at: str | None
    downloaded_at: str | None
    downloads: int
    file_name: str
    size: int
    sha256: str
    conversion_report: list[ReplacedOut]
    sheets: dict[str, int]
    failure: str
    duration_ms: int
    saved_query_id: int | None


class RunDetailOut(RunOut):
    subjects: int


class SavedQueryOut(Exact):
    id: int
    department: str
    name: str
    query: dict[str, Any]
    params: dict[str, Any]
    created_by: str
    created_at: str
    updated_by: str
    updated_at: str
    version: int


class DeletedOut(Exact):
    deleted: int


FILE = {"responses": {200: {"description": "出力ファイル（CSV・XLSX・PDF）", "content": {
    "text/csv": {"schema": {"type": "string", "format": "binary"}},
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {"schema": {"type": "string",
                                                                                    "format": "binary"}},
    "application/pdf": {"schema": {"type": "string", "format": "binary"}}}}}}
