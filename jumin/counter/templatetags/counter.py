"""`{% field %}`: one input with its label, the value the clerk typed and the refusal message beside it.

The input's name is the parameter path the domain rules use, so a refusal (RuleViolation.field) lands
next to the input it is about (issue #4: "validation messages in Japanese next to the field").
"""

from django import template

from jumin.addressees import rules as addressee_rules
from jumin.core.businesses import BUSINESSES
from jumin.core.forms import field_id  # noqa: F401  (the one rule for input ids; the views import it here too)
from jumin.register import choices as c

register = template.Library()

CHOICES = {
    "sex": c.SEX_CHOICES,
    "domicile_status": c.DOMICILE_STATUS_CHOICES,
    "resident_type": c.RESIDENT_TYPE_CHOICES,
    "article_30_45": c.ARTICLE_30_45_CHOICES,
    "move_in_kind": [("domestic", "国内転入"), ("abroad", "国外転入等")],
    "move_out_kind": [("domestic", "国内転出"), ("abroad", "国外転出")],
    "correction_kind": [("ex_officio_correction", "職権修正"), ("minor_correction", "軽微な修正"),
                        ("clerical_correction", "誤記修正")],
    "match": [("prefix", "前方一致"), ("exact", "完全一致"), ("partial", "部分一致")],
    "basis": [("effective", "異動日基準"), ("recorded", "記録日基準")],
    "transitional_reason": c.TRANSITIONAL_REASON_CHOICES,
    "former_surname_action": [("entry", "記載"), ("change", "変更"), ("deletion", "削除")],
    "alias_action": [("entry", "記載"), ("deletion", "削除")],
    "number_action": [("entry", "職権記載"), ("change_request", "変更請求"), ("correction", "職権修正")],
    # 住登外宛名 (issue #17)
    "non_resident_kind": addressee_rules.KIND_CHOICES,
    "address_kind": addressee_rules.ADDRESS_KIND_CHOICES,
    "business": list(BUSINESSES),
}

RELATIONSHIPS = ["世帯主", "妻", "夫", "妻（未届）", "夫（未届）", "子", "子の妻", "子の夫", "子の子", "父", "母",
                 "兄", "姉", "弟", "妹", "妻の父", "妻の母", "夫の父", "夫の母", "縁故者", "同居人"]


@register.inclusion_tag("counter/_field.html", takes_context=True)
def field(context, name, label, kind="text", required=False, help="", choices="", autofocus=False, size="",
          default=""):
    """`default` is preselected only while the form has no value for the field (住民種別 日本人 on a new row)."""
    values = context.get("values") or {}
    errors = context.get("errors") or {}
    value = values.get(name.removeprefix("bool:"), "") or default
    return {
        "name": name, "id": field_id(name), "label": label, "kind": kind, "required": required, "help": help,
        "value": "" if value is None else value, "error": errors.get(name.removeprefix("bool:").removeprefix("list:")),
        "choices": CHOICES.get(choices, []), "autofocus": autofocus, "size": size,
        "relationships": RELATIONSHIPS if kind == "relationship" else [],
        "address_name": name.rsplit(".", 1)[0] + ".address" if kind == "postcode" else "",
        "address_id": field_id(name.rsplit(".", 1)[0] + ".address") if kind == "postcode" else "",
    }


@register.filter
def get(mapping, key):
    return (mapping or {}).get(key, "")


@register.inclusion_tag("counter/changes/_member.html", takes_context=True)
def member_row(context, i):
    """One person keyed in on 転入 / 出生 / 職権記載: every input named members[i].<item>."""
    return {"i": i, "n": i + 1, "p": f"members[{i}]", "values": context.get("values") or {},
            "errors": context.get("errors") or {}, "resident_type": ""}


@register.filter
def confirm_tables(rows) -> dict:
    """The 確認画面's rows (views._plan_rows: each person with (label, before, after) items) as two compact
    tables, so a 3-person family fits one 1366×768 screen (issue #15 item 10): the items every person gets
    alike (the family's address, dates, 本籍 …) once, two to a line; then one column per person for the
    rest."""
    rows = list(rows or [])
    shared = []
    if len(rows) > 1:
        first = {label: (before, after) for label, before, after in rows[0]["items"]}
        for label, pair in first.items():
            if all(dict((lb, (b, a)) for lb, b, a in r["items"]).get(label) == pair for r in rows[1:]):
                shared.append(label)
    common = [{"label": label, "before": before, "after": after}
              for label, before, after in (rows[0]["items"] if rows else []) if label in shared]
    labels: list[str] = []
    for r in rows:
        for label, _, _ in r["items"]:
            if label not in shared and label not in labels:
                labels.append(label)
    cells = [{label: {"before": b, "after": a} for label, b, a in r["items"]} for r in rows]
    return {
        "common": [common[i:i + 2] for i in range(0, len(common), 2)],
        "common_before": any(item["before"] for item in common),
        "people": [{"who": r["who"], "number": r["number"], "reason": r["reason"]} for r in rows],
        "items": [{"label": label, "cells": [c.get(label) for c in cells]} for label in labels],
        "any_before": any(cell and cell["before"] for c in cells for cell in c.values()),
    }
