"""Request and response schema bases of every API router (issue #15): bounded, strict inputs and exact answers.

Kept in core so every app's router — the register's and the data platform's alike — builds on the same bases
without importing the register (design.md's import direction). `jumin.register.schemas` re-exports them.
"""

import datetime
import re
from typing import Annotated, ClassVar

from ninja import Schema
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator
from pydantic_core import PydanticCustomError

from jumin.core.wareki import EARLIEST_DATE

# No single value of any request is longer than this (the longest column is 500 characters; 備考 is free text):
# a 1 MB name is refused here with a message, not at the database (issue #15).
TEXT_MAX_LENGTH = 2000
# Integers a request may carry (versions, ids, copies, minutes): beyond this no row can exist, and PostgreSQL's
# bigint would overflow.
INT_MAX = 2**53
# C0 control characters but tab, LF and CR (a 備考 may have lines), and DEL. A NUL never reaches a query.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


# No request nests deeper than this (an EUC query, the deepest, needs about a dozen levels): a deeper one is
# refused before anything walks or validates it further.
NESTING_MAX = 128


def _check_value(value, path: str, depth: int = 0, unbounded=frozenset()) -> None:
    if depth > NESTING_MAX:
        raise PydanticCustomError("too_deep", "nested too deep: {path}", {"path": path, "max_depth": NESTING_MAX})
    if isinstance(value, str):
        if _CONTROL.search(value):
            raise PydanticCustomError("control_character", "control character in {path}", {"path": path})
        if len(value) > TEXT_MAX_LENGTH and path not in unbounded:
            raise PydanticCustomError("string_too_long", "too long: {path}",
                                      {"path": path, "max_length": TEXT_MAX_LENGTH})
    elif isinstance(value, bool):
        return
    elif isinstance(value, int):
        if abs(value) > INT_MAX:
            raise PydanticCustomError("int_too_big", "too big: {path}", {"path": path})
    elif isinstance(value, dict):
        for key, item in value.items():
            _check_value(key, path, depth + 1)
            _check_value(item, f"{path}.{key}" if path else str(key), depth + 1, unbounded)
    elif isinstance(value, (list, tuple)):
        for index, item in enumerate(value):
            _check_value(item, f"{path}[{index}]", depth + 1)


class In(Schema):
    """Every request body and query schema: unknown fields refused; every string, at any depth (also inside the
    free `items`/`params` objects), without control characters and at most TEXT_MAX_LENGTH long; every integer
    within INT_MAX. Fields backed by a shorter column say so with Text(n) / Number."""

    model_config = ConfigDict(extra="forbid")
    # Fields whose value may be longer than TEXT_MAX_LENGTH (a PDF in base64); the 1 MB request limit bounds them.
    unbounded_fields: ClassVar[frozenset] = frozenset()

    @model_validator(mode="before")
    @classmethod
    def _refuse_unusable_values(cls, data):
        if isinstance(data, dict):
            _check_value(data, "", unbounded=cls.unbounded_fields)
        return data


def Text(max_length: int):
    """A string bounded by its column's length (the refusal names the limit)."""
    return Annotated[str, Field(max_length=max_length)]


def _not_before_wareki(day: datetime.date) -> datetime.date:
    if day < EARLIEST_DATE:
        raise PydanticCustomError("date_too_early", "date before {earliest}", {"earliest": EARLIEST_DATE.isoformat()})
    return day


# A date the register can show: from 明治6年1月1日 (1873-01-01, the 和暦 table's start; jumin.core.wareki) on.
Day = Annotated[datetime.date, AfterValidator(_not_before_wareki)]
# A 宛名番号 / 世帯番号 / 登録番号 as sent (the register's are 10 digits; a typed one may have hyphens).
Number = Text(20)
# The client's idempotency key (Change.idempotency_key, 64 characters).
IdempotencyKey = Text(64)
Reason = Text(500)
# A page number (the queries refuse < 1 with their own message; no result list has 100,000 pages).
Page = Annotated[int, Field(le=100_000)]


class Exact(BaseModel):
    """A response whose every item is listed, for answers built by a stable dict (register/queries.record_dict
    and kin), so the OpenAPI document says exactly what an answer holds. An item the handler sends that is not
    listed is a defect that fails the app's tests (a 500), never silently dropped; an optional item the handler
    does not send is not added (exclude_unset)."""

    model_config = ConfigDict(extra="forbid")
