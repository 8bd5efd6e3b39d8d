"""Every field-level refusal of a change form at once (issue #15 item 10: an empty 転入 took 9 submits).

The change engine stops at the first RuleViolation, which is right for the API and for the transaction,
but a clerk facing an empty form needs to see all the missing items in one go. `form_errors` runs the
register's own item checks (`item_rules`, `rules`, the planners' pure date and 職権 helpers) over every
field of the parameters and collects each refusal as (field, message), in the order the screen shows the
fields. It reads no database, so it never decides anything the engine does not: the counter calls it only
after the engine has refused (`views.change`), to add the other messages to the engine's.

Cross-record rules (a 世帯主 per new household, the current address, drafts, 支援措置) stay with the
engine and appear once the field-level errors are fixed.
"""

from dataclasses import dataclass
from datetime import date

from jumin.core.errors import RuleViolation
from jumin.register import choices as c
from jumin.register.item_rules import (
    check_birth_not_future, check_non_blank, clean_address, clean_date, clean_person_items,
)
from jumin.register.rules import check_notified_on, validate_relationship

# A value that stands for "already reported" so check_non_blank goes on to the next item. It is not a
# code of any choice, so it triggers no conditional rule (本籍 記載あり, 中長期在留者 …).
_REPORTED = "\0reported"


@dataclass(frozen=True)
class Form:
    """What one change screen posts, as far as the item rules can check it without the register."""
    date_label: str = "異動日"
    future_allowed: bool = False
    uncertain: bool = False
    reason: str = "ex_officio"                  # "ex_officio": required when 職権; "always": 職権記載; "" none
    addresses: tuple = ()                       # (prefix, label, required: True | "unless_joining" | "domestic")
    members: bool = False                       # members[i] keyed in (転入, 職権記載)
    child: bool = False                         # child (出生)
    relationships: tuple = ()                   # maps 宛名番号 → 続柄


FORMS = {
    "move_in": Form(addresses=(("address", "住所", "unless_joining"), ("previous_address", "転入前住所", "domestic")),
                    members=True),
    "ex_officio_entry": Form(reason="always", members=True,
                             addresses=(("address", "住所", "unless_joining"),
                                        ("previous_address", "転入前住所", False))),
    "relocation": Form(addresses=(("address", "住所", True),), relationships=("relationships",)),
    "move_out": Form(date_label="転出予定日", future_allowed=True, addresses=(("destination", "転出先住所", True),),
                     relationships=("remaining_relationships",)),
    "birth": Form(date_label="出生日", uncertain=True, child=True),
    "death": Form(date_label="死亡日", uncertain=True, relationships=("remaining_relationships",)),
    "household_split": Form(relationships=("relationships", "remaining_relationships")),
    "household_merge": Form(relationships=("relationships",)),
    "household_change": Form(relationships=("relationships", "remaining_relationships")),
    "head_change": Form(relationships=("relationships",)),
}


class _Found:
    """Refusals by field, the first message for a field kept, in the order they were found."""

    def __init__(self):
        self.errors: dict[str, str] = {}

    def add(self, refusal: RuleViolation) -> None:
        self.errors.setdefault(refusal.field or "form", refusal.message)

    def run(self, check, *args, **kwargs):
        try:
            return check(*args, **kwargs)
        except RuleViolation as refusal:
            self.add(refusal)
            return None


def form_errors(kind: str, params: dict, *, today: date) -> list[tuple[str, str]]:
    """Every refusal the item rules give on this form's fields, as (field, message), in screen order.
    A kind without an entry in FORMS gets the engine's single refusal only (an empty list here)."""
    form = FORMS.get(kind)
    if form is None or not isinstance(params, dict):
        return []
    found = _Found()
    joining = bool(params.get("household_number"))
    for prefix, label, required in form.addresses:
        if required == "unless_joining":
            if joining:
                continue
            required = True
        elif required == "domestic":
            required = params.get("move_in_kind", "domestic") == "domestic"
        _address(found, params.get(prefix), prefix=prefix, label=label, required=required)
    _dates(found, params, form, today=today)
    _reason(found, params, form)
    for key in form.relationships:
        given = params.get(key)
        if isinstance(given, dict):
            for number, value in given.items():
                found.run(validate_relationship, value, field=f"{key}.{number}")
    if form.members:
        members = params.get("members")
        # A form posted with every member row empty has no members after pruning: its first row is the one
        # the clerk left blank, so its required items are named one by one.
        rows = members if isinstance(members, list) and members else [{}]
        for i, member in enumerate(rows):
            _person(found, member, prefix=f"members[{i}]", today=today)
    if form.child:
        child = params.get("child") if isinstance(params.get("child"), dict) else {}
        child = {k: v for k, v in child.items() if k not in ("birth_date", "reentry_of", "non_resident_of")}
        _person(found, child, prefix="child", today=today, birth_from_event=True)
    return list(found.errors.items())


def _address(found: _Found, data, *, prefix: str, label: str, required: bool) -> None:
    """Each part of an address block on its own, so a bad 郵便番号 does not hide a missing 住所."""
    if data is not None and not isinstance(data, dict):
        found.run(clean_address, data, prefix=prefix, label=label)
        return
    data = data or {}
    for part in ("postcode", "address", "address_supplement", "address_code"):      # the screens' order
        if part == "address":
            found.run(clean_address, {"address": data.get("address")}, prefix=prefix, label=label, required=required)
        elif data.get(part) not in (None, ""):
            found.run(clean_address, {part: data[part]}, prefix=prefix, label=label, required=False)


def _dates(found: _Found, params: dict, form: Form, *, today: date) -> None:
    """異動日 and 届出日 through the planners' own plan_dates; when it stops at the 異動日, the 届出日 is
    checked by itself so both messages show."""
    from jumin.register.actions.base import plan_dates

    try:
        plan_dates(params, today=today, future_allowed=form.future_allowed, uncertain=form.uncertain,
                   label=form.date_label)
    except RuleViolation as refusal:
        found.add(refusal)
        if refusal.field == "effective_on":
            notified = found.run(clean_date, params.get("notified_on"), name="notified_on", label="届出日",
                                 allow_uncertain=False)
            if notified is not None and notified[0] is not None:
                found.run(check_notified_on, notified[0], today=today)


def _reason(found: _Found, params: dict, form: Form) -> None:
    from jumin.register.actions.base import plan_ex_officio
    from jumin.register.actions.ex_officio import require_reason

    if form.reason == "ex_officio":
        found.run(plan_ex_officio, params)
    elif form.reason == "always":
        found.run(require_reason, params)


# The order of a person's inputs on the screens (counter/changes/_member.html), for the error summary.
PERSON_ORDER = ["name", "name_kana", "birth_date", "sex", "relationship", "resident_type", "domicile_status",
                "domicile", "domicile_head", "individual_number", "resident_code", "name_alphabet", "nationality",
                "article_30_45", "residence_status", "period_of_stay", "period_expires_on", "residence_card_number",
                "special_permanent_certificate_number"]


def _person(found: _Found, member, *, prefix: str, today: date, birth_from_event: bool = False) -> None:
    """One person's items, each message after the one above it on the screen."""
    mine = _Found()
    _person_items(mine, member, prefix=prefix, today=today, birth_from_event=birth_from_event)

    def place(field: str) -> int:
        leaf = field.rsplit(".", 1)[-1]
        return PERSON_ORDER.index(leaf) if leaf in PERSON_ORDER else len(PERSON_ORDER)

    for field in sorted(mine.errors, key=place):
        found.errors.setdefault(field, mine.errors[field])


def _person_items(found: _Found, member, *, prefix: str, today: date, birth_from_event: bool) -> None:
    """Each item cleaned on its own, then every non-blank rule (standard-spec §2.3)."""
    if not isinstance(member, dict):
        found.run(clean_person_items, member, prefix=prefix)
        return
    items: dict = {}
    for name, value in member.items():
        if name in ("reentry_of", "non_resident_of"):
            continue
        cleaned = found.run(clean_person_items, {name: value}, prefix=prefix)
        items.update(cleaned if cleaned is not None else {name: _REPORTED})
    items["resident_type"] = items.get("resident_type") or c.JAPANESE
    if birth_from_event:
        items["birth_date"] = _REPORTED          # 出生: the 生年月日 is the 出生日, checked with the dates
    elif isinstance(items.get("birth_date"), date):
        found.run(check_birth_not_future, items, today=today, prefix=prefix)
    seen = set()
    while True:
        try:
            check_non_blank(items, prefix=prefix)
            return
        except RuleViolation as refusal:
            found.add(refusal)
            leaf = (refusal.field or "").rsplit(".", 1)[-1]
            if not leaf or (leaf, refusal.message) in seen:
                return
            seen.add((leaf, refusal.message))
            if refusal.code == "required":
                items[leaf] = _REPORTED
            else:                                # an item this kind of resident may not have: set it aside
                items.pop(leaf, None)
                if leaf == "domicile":
                    items.pop("domicile_status", None)
