"""Template helpers of the supervisor's screens. `{% choice_field %}` is the counter's `{% field %}` (same
template, same label/value/error handling) with this app's code tables; `|wareki` prints an ISO date in 和暦."""

from datetime import date, datetime

from django import template

from jumin.core.wareki import format_wareki
from jumin.counter.templatetags.counter import field
from jumin.restrictions import models as m

register = template.Library()

CHOICES = {
    "protection_kind": m.KIND_CHOICES,
    "operation": m.OPERATION_CHOICES,
    "level": m.LEVEL_CHOICES,
    "target": [("person", "個人（宛名番号）"), ("household", "世帯（世帯番号）")],
}


@register.inclusion_tag("counter/_field.html", takes_context=True)
def choice_field(context, name, label, choices, required=False, help="", autofocus=False):
    out = field(context, name, label, required=required, help=help, autofocus=autofocus)
    out["choices"] = CHOICES[choices]
    return out


@register.filter
def wareki(value) -> str:
    """'2025-03-31' (or a date / datetime) → 令和7年3月31日; blank stays blank."""
    if not value:
        return ""
    try:
        if isinstance(value, str):
            value = datetime.fromisoformat(value)
        if isinstance(value, datetime):
            value = value.date()
        return format_wareki(value) if isinstance(value, date) else str(value)
    except ValueError:
        return str(value)


@register.filter
def clock(value) -> str:
    """An ISO date-time → 令和7年3月31日 14:05 in local time."""
    from django.utils import timezone

    if not value:
        return ""
    try:
        moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    except ValueError:
        return str(value)
    if timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    return f"{format_wareki(moment.date())} {moment:%H:%M}"


@register.inclusion_tag("restrictions/_person_row.html", takes_context=True)
def person_row(context, i):
    """One 併せて支援措置を求める者 on the registration form: inputs named protected_persons[i].<item>."""
    return {"i": i, "n": i + 1, "p": f"protected_persons[{i}]", "values": context.get("values") or {},
            "errors": context.get("errors") or {}}


@register.inclusion_tag("restrictions/_offender_row.html", takes_context=True)
def offender_row(context, i):
    """One 加害者 on the registration form: inputs named offenders[i].<item>."""
    return {"i": i, "n": i + 1, "p": f"offenders[{i}]", "values": context.get("values") or {},
            "errors": context.get("errors") or {}}
