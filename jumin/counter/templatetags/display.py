"""How the screens print dates, times, postcodes and items for a person to read (issue #15 item 10): 和暦,
JST, 〒980-0845, code labels instead of internal values. `{% load display %}` in any template; `shown_item` is
the same for views that build tables (異動履歴)."""

from datetime import date, datetime

from django import template
from django.utils import timezone

from jumin.core.wareki import format_wareki
from jumin.register import choices as c
from jumin.register.models import Resident
from jumin.register.queries import MASK, display_date

register = template.Library()


def _as_date(value):
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str) and len(value) == 10:
        try:
            return date.fromisoformat(value)
        except ValueError:
            return None
    return None


@register.filter
def wareki(value) -> str:
    """A date (or its ISO text, as the queries return it) in 和暦: 令和6年4月1日. Anything else unchanged."""
    if value in (None, ""):
        return ""
    day = _as_date(value)
    return format_wareki(day) if day else str(value)


@register.filter
def jst(value) -> str:
    """A moment in Japan time, 和暦 date and hh:mm: 令和6年4月5日 10:23 (the queries give UTC ISO text)."""
    if value in (None, ""):
        return ""
    moment = value
    if isinstance(value, str):
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            return value
    if not isinstance(moment, datetime):
        return str(value)
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment, timezone.get_default_timezone())
    local = timezone.localtime(moment)
    return f"{format_wareki(local.date())} {local:%H:%M}"


@register.filter
def postcode(value) -> str:
    """7 digits as 〒980-0845; a value that is not 7 digits is shown as it is (never silently dropped)."""
    text = str(value or "").replace("-", "").replace("〒", "").strip()
    if not text:
        return ""
    if len(text) == 7 and text.isdigit():
        return f"〒{text[:3]}-{text[3:]}"
    return str(value)


DATE_ITEMS = {f.name for f in Resident._meta.fields if f.get_internal_type() == "DateField"}
POSTCODE_ITEMS = {f.name for f in Resident._meta.fields if f.name.endswith("postcode")}


def item_label(name: str) -> str:
    try:
        return str(Resident._meta.get_field(name).verbose_name)
    except Exception:                      # an item the model no longer has: its name, never a 500
        return name


def shown_item(name: str, value, items: dict) -> str:
    """One register item as a person reads it: 和暦 (西暦 for a foreign resident's 生年月日, standard-spec
    §2.4) or the 不詳日 wording, code labels, 〒, あり/なし, 個人番号 masked."""
    if name == "individual_number":
        return MASK if value else ""
    if name in DATE_ITEMS and items.get(name + "_text"):
        return items[name + "_text"]
    if value in (None, ""):
        return ""
    if name in DATE_ITEMS:
        day = _as_date(value)
        foreign = items.get("resident_type") == c.FOREIGN
        return display_date(day, seireki=foreign and name in ("birth_date", "period_expires_on")) if day else str(value)
    if name in POSTCODE_ITEMS:
        return postcode(value)
    if value is True or value is False:
        return "あり" if value else "なし"
    try:
        choices = Resident._meta.get_field(name).choices
    except Exception:
        choices = None
    if choices:
        return str(dict(choices).get(value, value))
    return str(value)


def changed_rows(changed: list[dict], snapshot: dict, previous: dict | None) -> list[dict]:
    """The 異動履歴 table of one snapshot: a date and its 不詳日 wording are one row, under the date's name."""
    names = [i["item"] for i in changed]
    rows = []
    for i in changed:
        name = i["item"]
        if name.endswith("_text") and name[:-5] in DATE_ITEMS:
            if name[:-5] in names:
                continue                     # shown with its date
            name = name[:-5]
        rows.append({"item": name, "label": item_label(name),
                     "before": shown_item(name, (previous or {}).get(name), previous or {}),
                     "after": shown_item(name, snapshot.get(name), snapshot)})
    return rows
