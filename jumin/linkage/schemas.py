"""API schemas of the linkage feed (OpenAPI)."""

from __future__ import annotations

from typing import Any

from jumin.core.schemas import Exact


class FeedEntryOut(Exact):
    """One event for this 連携先 (linkage/rules.delivered). `withheld`: the number only (a person this 連携先 does
    not receive); `restricted`: a 支援措置 person, every item masked."""

    seq: int
    withheld: bool
    subject: str | None = None
    kind: str | None = None
    reason_code: str | None = None
    addressee_number: str | None = None
    household_number: str | None = None
    effective_on: str | None = None
    recorded_at: str | None = None
    restricted: bool | None = None
    before: dict[str, Any] | None = None
    after: dict[str, Any] | None = None
    changed: list[str] | None = None


class FeedOut(Exact):
    after: int
    next: int
    last: int
    more: bool
    events: list[FeedEntryOut]


class FeedGoneOut(Exact):
    """410: the events after `after` are no longer kept; resynchronise from a full extraction."""

    error: dict[str, Any]


class ReconciliationOut(Exact):
    """The day's events for this 連携先, and the checksum of the entries as it receives them."""

    date: str
    client_id: str
    events: int
    first: int | None
    last: int | None
    withheld: int
    persons: int
    checksum: str


class PersonOut(Exact):
    """One person as of a day for this 連携先: its items only; `withheld` — a person it does not receive (the number
    only); `restricted` — a 支援措置 person, every item masked."""

    addressee_number: str
    withheld: bool
    restricted: bool | None = None
    household_number: str | None = None
    items: dict[str, Any] | None = None


class PersonAsOfOut(PersonOut):
    as_of: str
    basis: str


class PersonsPageOut(Exact):
    """A page of full data as of a day, by 宛名番号; pass `next` as `after` for the next page while `more`."""

    as_of: str
    after: str
    next: str
    more: bool
    persons: list[PersonOut]
