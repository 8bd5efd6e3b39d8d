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


METHODS = {"pull": "REST API（PULL）", "file": "ファイル連携（CSV）", "notify": "変更通知（NATS）"}
INDIVIDUAL_NUMBER = "individual_number"


def clean_client(data: dict, *, known_items: dict[str, str], number_use: frozenset[str],
                 business_names: dict[str, str]) -> dict:
    """A 連携先 as an administrator registers it. `known_items`: the register's dictionary items (name → Japanese
    name); `number_use`: the 業務 that may receive the 個人番号 (番号法 別表, core/businesses.NUMBER_USE)."""
    from jumin.core.errors import RuleViolation

    business = str(data.get("business") or "").strip()
    if business not in business_names:
        raise RuleViolation(f"業務ID「{business[:10]}」はありません（001〜039）。", field="business", code="unknown_business")
    name = str(data.get("name") or "").strip()
    if not name or len(name) > 100:
        raise RuleViolation("連携先の名称を100文字以内で入力してください。", field="name", code="required")
    items = [str(i).strip() for i in (data.get("items") or []) if str(i).strip()]
    if not items:
        raise RuleViolation("受け取る項目を1つ以上指定してください（データディクショナリの項目名）。", field="items",
                            code="required")
    unknown = [i for i in items if i not in known_items]
    if unknown:
        raise RuleViolation(f"項目「{unknown[0][:40]}」は住民票の項目ではありません（データディクショナリの項目名で"
                            "指定してください）。", field="items", code="unknown_item")
    if INDIVIDUAL_NUMBER in items and business not in number_use:
        raise RuleViolation(f"{business_names[business]}（{business}）は番号利用事務ではないため、個人番号を受け取れません"
                            "（番号法 第9条・別表）。", field="items", code="individual_number_not_allowed")
    methods = [str(m).strip() for m in (data.get("methods") or ["pull"]) if str(m).strip()]
    bad = [m for m in methods if m not in METHODS]
    if bad:
        raise RuleViolation(f"連携方式「{bad[0][:20]}」はありません（pull, file, notify）。", field="methods",
                            code="unknown_method")
    directory = str(data.get("directory") or "").strip()
    if "file" in methods and not directory:
        raise RuleViolation("ファイル連携には置き場所（ディレクトリ）を指定してください。", field="directory",
                            code="required")
    return {"business": business, "name": name, "items": list(dict.fromkeys(items)),
            "receives_removed": bool(data.get("receives_removed")),
            "receives_protected": bool(data.get("receives_protected")), "methods": methods, "directory": directory}


# 共通機能 §2.2.5: scopes `${業務システムID}:${リソース名}:${操作名}` — the providing system's 業務ID (001 住民基本台帳),
# the resource, the operation. The API 仕様書's own names were not retrieved: these are jumin's, kept here.
PROVIDER = "001"
RESOURCES = {"pull": ("changes:read", "persons:read")}
AUTH_METHODS = ("client_secret_basic", "client_assertion_jwt")   # Authlib's name for client_secret_jwt
TOKEN_SECONDS = 300


def scopes_for(methods) -> list[str]:
    """The scopes a 連携先 has from its delivery methods (REST PULL reads the feed and persons)."""
    return [f"{PROVIDER}:{resource}" for method in methods for resource in RESOURCES.get(method, ())]


def hash_secret(secret: str) -> str:
    import hashlib

    return hashlib.sha256(secret.encode()).hexdigest()


def delivered(event: dict, *, items: list[str], receives_removed: bool, receives_protected: bool,
              protected: bool) -> dict:
    """One feed entry of an event for one 連携先 (issue #18 items 2-3): only its items, before and after. A person
    under 支援措置 (now) is a restricted marker with every item masked when the 連携先 receives such persons, and
    withheld (the sequence number only) when it does not; a 除票 person likewise withheld unless it receives 除票.
    Every number is kept, so the consumer can see it missed nothing."""
    entry = {"seq": event["seq"]}
    removed = (event["after"] or {}).get("status") == "removed"
    if (protected and not receives_protected) or (removed and not receives_removed):
        return {**entry, "withheld": True}
    entry.update({"withheld": False, "kind": event["change_kind"], "reason_code": event["reason_code"],
                  "addressee_number": event["addressee_number"], "effective_on": event["effective_on"],
                  "recorded_at": event["recorded_at"], "restricted": protected})
    if protected:
        return {**entry, "household_number": "", "before": None, "after": None, "changed": []}

    def only(values):
        return None if values is None else {name: values.get(name) for name in items}

    before, after = only(event["before"]), only(event["after"])
    return {**entry, "household_number": event["household_number"], "before": before, "after": after,
            "changed": changed_items(before, after)}


def entry_digest(entries: list[dict]) -> str:
    """The checksum both sides can compute over the feed entries of a day (reconciliation, issue #18 item 6): SHA-256
    of each entry as canonical JSON (sorted keys, UTF-8, no spaces), one per line, in sequence order."""
    import hashlib
    import json

    text = "\n".join(json.dumps(e, sort_keys=True, ensure_ascii=False, separators=(",", ":")) for e in entries)
    return hashlib.sha256(text.encode()).hexdigest()
