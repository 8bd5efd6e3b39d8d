"""Pure rules of the linkage outbox (issue #18): which items an event carries and how they are written.

No Django, no I/O."""

from __future__ import annotations

from datetime import date, datetime


def item_values(values: dict | None, names) -> dict | None:
    """A person's items as an event carries them: the named items only, dates as ISO text (JSON), None for a
    person who did not exist before the change."""
    if values is None:
        return None
    out = {}
    for name in names:
        value = values.get(name)
        out[name] = value.isoformat() if isinstance(value, (date, datetime)) else value
    return out


def changed_items(before: dict | None, after: dict) -> list[str]:
    """The item names whose value the change altered (all of them for a new person), in the order given."""
    if before is None:
        return [name for name, value in after.items() if value not in ("", None, False)]
    return [name for name in after if before.get(name) != after[name]]
