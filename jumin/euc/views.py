"""The EUC screens (issue #16 item 4; 共通機能 §2.5, 住民記録 §10.1): a wizard that lets staff without special
knowledge make the list they need — データの種類 → 項目 → 条件 → 並び順・集計 → プレビュー → 出力 — plus the
run's status and download, the approver's list, saved queries per 所属 and the EUC log searchable per person.

Views only authorize, parse and call the engine's API (platform §6: `catalogue.datasets`, `queries.preview`,
`actions.do_run_euc` …). The wizard's state is the engine's query JSON in one hidden field; every step is a
plain form post (so it works without JavaScript) and the engine's refusals come back beside the field they
name, on the step that holds it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from jumin.accounts import rules as perms
from jumin.audit.actions import log_refusal
from jumin.core import wareki
from jumin.core.errors import RuleViolation
from jumin.core.forms import FORM_ERROR, is_refusal_of_right
from jumin.core.http import actor_for, authorize, refused_or_missing_page, refused_page, typed_number
from jumin.euc import actions, catalogue, forms, queries

FUNCTION = "euc.wizard"
PREVIEW_ROWS = 20
PREVIEW_GROUPS = 200           # a count's table: as many groups as the engine shows (the file has them all)
OUTPUTS = [("xlsx", "Excel（XLSX）", "表計算ソフトでそのまま開けます。"),
           ("csv", "CSV（UTF-8 BOM付き）", "Excel でも文字化けしません。"),
           ("csv_sjis", "CSV（Shift_JIS）", "古いシステム向け。Shift_JIS にない文字は置換し、その一覧を添付します。"),
           ("pdf_list", "PDF 一覧", "印刷用の一覧表です。"),
           ("pdf_labels", "宛名ラベル（PDF）", "住所・氏名の宛名ラベルです（一覧の出力のみ）。")]
STATUS_LABELS = {"ready": "ダウンロードできます", "awaiting_approval": "承認待ち",
                 "approved": "承認済み・ダウンロードできます", "downloaded": "ダウンロード済み（もう一度ダウンロードできます）",
                 "failed": "失敗", "previewed": "プレビュー"}


def _page(request, template, context, *, page, status=200):
    """Every EUC screen: its own sub-menu (the approver's list only for a role that may approve)."""
    context = {**context, "euc_page": page, "euc_may_approve": request.user.may(perms.APPROVE_EXTRACT)}
    return render(request, template, context, status=status)


def _denied(request, permission=perms.EXTRACT_DATA):
    return authorize(request, permission, FUNCTION)


def _approvers_label() -> str:
    """Who may approve, by role (rights are per duty, never per rank: accounts.rules)."""
    roles = [label for code, label in perms.ROLE_CHOICES
             if perms.has_permission(code, perms.APPROVE_EXTRACT)]
    return "、".join(f"「{r}」" for r in roles) + "の役割の職員（出力した本人を除く）"


# ------------------------------------------------------------------ the wizard

def _catalogue(request):
    return forms.Catalogue(catalogue.datasets(request.user))


def _local_check(step: str, state: dict, cat: forms.Catalogue) -> dict:
    """What the first step can say at once, before the engine sees the whole query: a kind of data chosen, the
    dates it needs typed and real (the same 和暦/西暦 reader and messages the engine uses, jumin.core.wareki)."""
    errors = {}
    if step != "dataset":
        return errors
    code = state.get("dataset")
    if not cat.dataset(code):
        errors["dataset"] = "データの種類を選んでください。"
        return errors
    needs = cat.needs(code)
    as_of = forms.param_value(state, state.get("as_of"))
    if "as_of" in needs and not as_of:
        errors["as_of"] = "基準日を入力してください（例: R8.4.1 / 令和8年4月1日 / 2026-04-01）。"
    elif as_of:
        try:
            wareki.parse_exact_date(str(as_of), label="基準日", field="as_of")
        except RuleViolation as refusal:
            errors["as_of"] = refusal.message
    if "period" in needs:
        period = state.get("period") or {}
        days = {}
        for key, label in (("from", "期間の開始日"), ("to", "期間の終了日")):
            try:
                days[key] = wareki.parse_exact_date(period.get(key, ""), label=label, field=f"period_{key}")
            except RuleViolation as refusal:
                errors[f"period_{key}"] = refusal.message
        if len(days) == 2 and days["from"] > days["to"]:
            errors["period_to"] = "期間の終了日が開始日より前になっています。開始日以降の日付を入力してください。"
    return errors


def _move(step: str, action: str) -> str:
    names = forms.STEP_NAMES
    i = names.index(step)
    if action == "next":
        return names[min(i + 1, len(names) - 1)]
    if action == "prev":
        return names[max(i - 1, 0)]
    if action.startswith("go:") and action[3:] in names:
        return action[3:]
    return step


@login_required
@require_http_methods(["GET", "POST"])
def wizard(request):
    """One screen for every step. GET opens a fresh query; POST carries the state (hidden `query`), the step
    the form showed (`step`) and the button pressed (`do`: next, prev, go:<step>, add…, up/down/remove…,
    refresh, run, save)."""
    denied = _denied(request)
    if denied:
        return denied
    try:
        cat = _catalogue(request)
    except RuleViolation as refusal:
        return refused_page(request, refusal)
    if request.method == "GET":
        return _render(request, cat, {}, "dataset")
    state = forms.load_state(request.POST.get("query"))
    step = request.POST.get("step")
    action = forms.clean(request.POST.get("do"), 120) or "next"
    if step in forms.STEP_NAMES:
        read = forms.read_step(step, request.POST, state, cat, action)
    else:                       # not posted by a step's form (a script's query, a stale page): the query as sent
        step, read = "dataset", {"focus": None, "note": None, "refusal": None}
    if read["refusal"]:
        return _render(request, cat, state, step, errors={"form": read["refusal"]}, status=422)
    if action == "refresh" or action.split(":")[0] in ("add", "addgroup", "up", "down", "remove"):
        return _render(request, cat, state, step, focus=read["focus"], note=read["note"])
    if action == "save":
        return _save(request, cat, state, step)
    if action == "run":
        return _run(request, cat, state)
    target = _move(step, action)
    forward = forms.STEP_NAMES.index(target) > forms.STEP_NAMES.index(step)
    errors = _local_check(step, state, cat) if forward else {}
    if errors:
        log_refusal(actor_for(request), FUNCTION, message=next(iter(errors.values())),
                    detail={"step": step, "fields": sorted(errors)})
        return _render(request, cat, state, step, errors=errors, status=422, note=read["note"])
    return _render(request, cat, state, target, note=read["note"])


def _render(request, cat, state, step, *, errors=None, status=200, focus=None, note=None, preview=None):
    """The wizard at `step`. The preview step asks the engine (which validates the whole query): a refusal
    goes back to the step that holds the field it names, with the message beside that field."""
    errors = dict(errors or {})
    if step in ("preview", "output") and not errors and preview is None:
        try:
            preview = queries.preview(forms.engine_query(state), actor=actor_for(request),
                                      rows=PREVIEW_GROUPS if state.get("count_by") else PREVIEW_ROWS)
        except RuleViolation as refusal:
            if is_refusal_of_right(refusal) and not refusal.field:
                return refused_page(request, refusal)
            step, errors = _refusal_step(refusal, state), _refusal_errors(refusal, state)
            status = 422
    context = _context(request, cat, state, step, errors, focus, note, preview)
    return _page(request, "euc/wizard.html", context, page="wizard", status=status)


def _refusal_step(refusal: RuleViolation, state: dict) -> str:
    return forms.step_of_field(refusal.field) or ("dataset" if not state.get("dataset") else "where")


def _refusal_errors(refusal: RuleViolation, state: dict) -> dict:
    if not refusal.field:
        return {"form": refusal.message}
    return {forms.form_field(refusal.field, state): refusal.message, "form": FORM_ERROR}


def _context(request, cat, state, step, errors, focus, note, preview):
    dataset = state.get("dataset")
    items = cat.items(dataset)
    by_name = {i["name"]: i for i in items}
    chosen = [{"name": n, "ja": by_name.get(n, {}).get("ja", n), "known": n in by_name}
              for n in state.get("items") or []]
    sort = list(state.get("sort") or [])
    sort_rows = [{"i": i, "item": (sort[i].get("item") if i < len(sort) else ""),
                  "desc": bool(sort[i].get("desc")) if i < len(sort) else False} for i in range(forms.SORT_ROWS)]
    count_by = list(state.get("count_by") or [])
    as_of_raw = state.get("as_of")
    period = state.get("period") or {}
    user = request.user
    summary = [{"message": m, "anchor": forms.field_id(k) if k not in ("dataset",) else "f-dataset-0"}
               for k, m in errors.items() if k != "form"]
    context = {
        "steps": [{"code": c, "label": lbl, "n": n + 1, "current": c == step}
                  for n, (c, lbl) in enumerate(forms.STEPS)],
        "step": step, "step_label": dict(forms.STEPS)[step], "step_n": forms.STEP_NAMES.index(step) + 1,
        "state_json": forms.dump_state(state), "query_json": forms.dump_state(forms.engine_query(state)),
        "cat": cat, "choices": cat.choices(), "choice": forms.choice_of(state),
        "dataset": cat.dataset(dataset), "needs": cat.needs(dataset),
        "values": {"as_of": forms.param_value(state, as_of_raw) or "", "as_of_param": forms.is_param(as_of_raw),
                   "include_removed": bool(state.get("include_removed")),
                   "period_from": period.get("from", ""), "period_to": period.get("to", "")},
        "items": items, "plain_items": [i for i in items if not i.get("derived")],
        "derived_items": [i for i in items if i.get("derived")], "chosen": chosen,
        "cond_plain_items": [i for i in items if not i.get("derived") and forms.usable_in_conditions(i)],
        "cond_derived_items": [i for i in items if i.get("derived") and forms.usable_in_conditions(i)],
        "sort_plain_items": [i for i in items if not i.get("derived") and i.get("type") not in ("json", "binary")],
        "sort_derived_items": [i for i in items if i.get("derived") and i.get("type") not in ("json", "binary")],
        "chosen_names": [c["name"] for c in chosen],
        "may_individual_number": user.may(perms.VIEW_INDIVIDUAL_NUMBER),
        "may_protected": user.may(perms.VIEW_PROTECTED),
        "include_individual_number": bool(state.get("include_individual_number")),
        "include_protected": bool(state.get("include_protected")),
        "tree": forms.condition_rows(state, cat, errors, focus), "modes": list(forms.MODES.items()),
        "has_age": "age" in _condition_items(state.get("where")),
        "sort_rows": sort_rows, "orders": forms.ORDERS, "counting": bool(count_by),
        "count_by": [count_by[i] if i < len(count_by) else "" for i in range(forms.COUNT_BY_MAX)],
        "outputs": OUTPUTS, "output": request.POST.get("output", "xlsx") if request.method == "POST" else "xlsx",
        "save_name": forms.clean(request.POST.get("save_name"), 100)
        if request.method == "POST" else "",
        "errors": errors, "error_summary": summary, "focus": focus, "note": note,
        "preview": preview, "cross": forms.cross_table(preview) if preview and state.get("count_by") else None,
        "shown_rows": len((preview or {}).get("rows") or []),
        "department": getattr(user, "department", "") or "", "saved_query_id": _saved_query_id(request),
    }
    return context


def _saved_query_id(request) -> int | None:
    """The saved query the wizard was opened from (kept to the run, so the EUC log says which one ran)."""
    raw = getattr(request, "euc_saved_query_id", None) or request.POST.get("saved_query_id", "")
    return int(raw) if str(raw).isdigit() and len(str(raw)) < 12 else None


def _condition_items(node) -> set[str]:
    if isinstance(node, dict) and ("all" in node or "any" in node):
        out = set()
        for child in node.get("any" if "any" in node else "all") or []:
            out |= _condition_items(child)
        return out
    return {node.get("item")} if isinstance(node, dict) else set()


def _run(request, cat, state):
    output = forms.clean(request.POST.get("output"), 20)
    try:
        run = actions.do_run_euc(forms.engine_query(state), output, actor=actor_for(request),
                                 saved_query_id=_saved_query_id(request))
    except RuleViolation as refusal:
        if is_refusal_of_right(refusal) and not refusal.field:
            return refused_page(request, refusal)
        step = "output" if refusal.field in (None, "output") else _refusal_step(refusal, state)
        return _render(request, cat, state, step, errors=_refusal_errors(refusal, state) if refusal.field
                       else {"form": refusal.message}, status=422)
    return redirect("euc:run", run_id=run.id)


def _save(request, cat, state, step):
    name = forms.clean(request.POST.get("save_name"), 100)
    try:
        saved = actions.do_save_euc_query(name, forms.engine_query(state), actor=actor_for(request))
    except RuleViolation as refusal:
        if is_refusal_of_right(refusal) and not refusal.field:
            return refused_page(request, refusal)
        field = "save_name" if refusal.field in (None, "name") else forms.form_field(refusal.field, state)
        return _render(request, cat, state, step, errors={field: refusal.message, "form": FORM_ERROR},
                       status=422)
    owner = getattr(saved, "department", "") or request.user.department or "所属なし"
    note = f"条件「{getattr(saved, 'name', name)}」を保存しました（{owner}）。「保存した条件」から再実行できます。"
    return _render(request, cat, state, step, note=note)


# ------------------------------------------------------------------ a run: status, download, approval

RUN_FACTS = [("kind", "種類"), ("at", "実行日時"), ("username", "実行した職員"), ("department", "所属"),
             ("terminal", "端末"), ("dataset_label", "データ"), ("output_label", "出力形式"), ("rows", "件数"),
             ("columns", "項目"), ("left_out", "出力しなかった項目"), ("status_label", "状態"),
             ("needs_approval_reason", "承認が必要な理由"), ("approver", "承認者"), ("approved_at", "承認日時"),
             ("downloads", "ダウンロード回数"), ("file_name", "ファイル名"), ("sha256", "ファイルの SHA-256"),
             ("conversion_report", "Shift_JIS に置き換えた文字"), ("sheets", "シートごとの件数"), ("failure", "失敗の理由")]
KIND_LABELS = {"preview": "プレビュー", "run": "出力"}


def _shown(key, value) -> str:
    """One fact of a run as text (lists joined, times in Japan's time and 和暦, nothing for an empty value)."""
    if value in (None, "", [], {}):
        return ""
    if key in ("at", "approved_at"):
        return _when(value)
    if key == "kind":
        return KIND_LABELS.get(value, value)
    if key == "left_out":
        return "、".join(f"{ja}（{reason}）" for ja, reason in value)
    if key == "conversion_report":
        return "、".join(_conversion(v) for v in value)
    if key == "sheets":
        return "、".join(f"{name}: {rows}行" for name, rows in value.items())
    if isinstance(value, list):
        return "、".join(str(v) for v in value)
    return str(value)


def _conversion(entry) -> str:
    if isinstance(entry, dict):
        return "、".join(f"{k}: {v}" for k, v in entry.items())
    if isinstance(entry, (list, tuple)):
        return " → ".join(str(v) for v in entry)
    return str(entry)


def _when(iso: str) -> str:
    import datetime

    from django.utils import timezone

    try:
        moment = timezone.localtime(datetime.datetime.fromisoformat(iso))
    except (TypeError, ValueError):
        return str(iso)
    return f"{wareki.format_wareki(moment.date())} {moment:%H:%M}"


def _labels(request) -> dict:
    """Item code name → Japanese name, over every dataset the user may extract (for the log's overview)."""
    try:
        return {i["name"]: i["ja"] for d in catalogue.datasets(request.user) for i in d.get("items", [])}
    except RuleViolation:
        return {}


def _run_row(run: dict, me: str, labels: dict | None = None) -> dict:
    """A run of the EUC log as a table row."""
    return {**run, "when": _when(run.get("at")), "who": run.get("username", ""), "mine": run.get("username") == me,
            "kind_label": KIND_LABELS.get(run.get("kind"), run.get("kind")),
            "dataset": run.get("dataset_label") or run.get("dataset"), "output": run.get("output_label") or "",
            "reason": run.get("needs_approval_reason", ""),
            "query": forms.dump_state(run.get("query") or {}), "summary": _summary(run.get("query") or {}, labels or {})}


def _summary(query: dict, labels: dict) -> str:
    """What a run asked, without the values typed (the log's list is an overview: a value may name a person — a
    宛名番号, a name — and the list is read by every role that may see the log; the run's own page has it all)."""
    def conditions(node):
        if isinstance(node, dict) and ("all" in node or "any" in node):
            mode = "any" if "any" in node else "all"
            parts = [conditions(c) for c in node.get(mode) or []]
            joined = (" または " if mode == "any" else "、").join(p for p in parts if p)
            return f"（{joined}）" if mode == "any" and len(parts) > 1 else joined
        if isinstance(node, dict):
            item = str(node.get("item", ""))
            return f"{labels.get(item, item)} {forms.OPS.get(node.get('op'), node.get('op', ''))}"
        return ""

    parts = []
    if query.get("count_by"):
        parts.append("集計: " + " × ".join(labels.get(str(n), str(n)) for n in query["count_by"]))
    elif query.get("items"):
        parts.append("項目: " + "、".join(labels.get(str(n), str(n)) for n in query["items"]))
    if query.get("where"):
        parts.append("条件: " + conditions(query["where"]))
    return " ／ ".join(parts)


@login_required
@require_GET
def run_status(request, run_id: int):
    """A run's status: ready → ダウンロード; awaiting approval → 承認待ち and who may approve."""
    denied = _denied(request)
    if denied:
        return denied
    try:
        run = queries.get_run(run_id, actor=actor_for(request))
    except RuleViolation as refusal:
        return refused_or_missing_page(request, refusal)
    facts = [(label, _shown(key, run.get(key))) for key, label in RUN_FACTS]
    return _page(request, "euc/run.html", {
        "run": run, "status_label": STATUS_LABELS.get(run.get("status"), run.get("status_label")),
        "run_facts": [(label, value) for label, value in facts if value],
        "approvers": _approvers_label(), "mine": run.get("username") == request.user.username,
        "may_approve": request.user.may(perms.APPROVE_EXTRACT)}, page="runs")


@login_required
@require_GET
def download(request, run_id: int):
    denied = _denied(request)
    if denied:
        return denied
    try:
        return actions.do_download_euc_run(run_id, actor=actor_for(request))
    except RuleViolation as refusal:
        return refused_or_missing_page(request, refusal)


@login_required
@require_GET
def approvals(request):
    """The approver's list: runs waiting for a second person's approval (never one's own)."""
    denied = _denied(request, perms.APPROVE_EXTRACT)
    if denied:
        return denied
    try:
        runs = queries.list_runs(actor=actor_for(request), status="awaiting_approval")
    except RuleViolation as refusal:
        return refused_page(request, refusal)
    me = request.user.username
    return _page(request, "euc/approvals.html", {"runs": [_run_row(r, me) for r in runs]}, page="approvals")


@login_required
@require_POST
def approve(request, run_id: int):
    denied = _denied(request, perms.APPROVE_EXTRACT)
    if denied:
        return denied
    try:
        actions.do_approve_euc_run(run_id, actor=actor_for(request))
    except RuleViolation as refusal:
        if refusal.code == "not_found":
            return refused_or_missing_page(request, refusal)
        messages.error(request, refusal.message)
    else:
        messages.success(request, f"出力 {run_id} を承認しました。出力した職員がダウンロードできます。")
    return redirect("euc:approvals")


# ------------------------------------------------------------------ saved queries

@login_required
@require_GET
def saved_list(request):
    denied = _denied(request)
    if denied:
        return denied
    try:
        saved = queries.saved_queries(actor=actor_for(request))
    except RuleViolation as refusal:
        return refused_page(request, refusal)
    return _page(request, "euc/saved.html", {"saved": [_saved_row(s) for s in saved],
                                             "department": request.user.department or ""}, page="saved")


def _get(obj, key, default=None):
    return obj.get(key, default) if isinstance(obj, dict) else getattr(obj, key, default)


def _saved_row(saved) -> dict:
    query = _get(saved, "query") or {}
    return {"id": _get(saved, "id"), "name": _get(saved, "name"), "department": _get(saved, "department", ""),
            "query": query, "params": list((query.get("params") or {}).items()),
            "created_by": _get(saved, "created_by", "") or _get(saved, "saved_by", ""),
            "created_at": _get(saved, "created_at") or _get(saved, "saved_at")}


@login_required
@require_http_methods(["GET", "POST"])
def saved_open(request, query_id: int):
    """Re-run a saved query: its parameters (基準日 …) are asked again, prefilled with the saved values; then
    the wizard opens at the preview with the new values."""
    denied = _denied(request)
    if denied:
        return denied
    actor = actor_for(request)
    try:
        saved = _saved_row(queries.saved_query(query_id, actor=actor))
        cat = _catalogue(request)
    except RuleViolation as refusal:
        return refused_or_missing_page(request, refusal)
    state = forms.load_state(forms.dump_state(saved["query"]))
    params = state.get("params") or {}
    request.euc_saved_query_id = saved["id"]
    if request.method == "POST":
        typed = {}
        for i, (name, _value) in enumerate(params.items()):
            raw = request.POST.get(f"param.{i}", "")
            typed[name] = _param_value(raw, params[name])
        state["params"] = typed
        return _render(request, cat, state, request.POST.get("open") == "edit" and "dataset" or "preview")
    if not params:
        return _render(request, cat, state, "preview")
    fields = [{"i": i, "name": name, "value": "、".join(map(str, v)) if isinstance(v, list) else v}
              for i, (name, v) in enumerate(params.items())]
    return _page(request, "euc/saved_open.html", {"saved": saved, "fields": fields}, page="saved")


def _param_value(raw: str, before):
    """A re-typed parameter in the shape of the saved one (a list stays a list, a number a number)."""
    text = forms.clean(raw, 2000)
    if isinstance(before, list):
        parts = [p for p in forms._LIST_SPLIT.split(text) if p]
        return [int(p) if p.isdigit() and all(isinstance(b, int) for b in before) else p for p in parts]
    if isinstance(before, int) and not isinstance(before, bool) and text.lstrip("-").isdigit():
        return int(text)
    return text


# ------------------------------------------------------------------ the EUC log

@login_required
@require_GET
def run_log(request):
    """EUC実行履歴: every run (who, when, the query, rows, sha256), searchable by 宛名番号 — who extracted this
    person."""
    number = typed_number(request.GET.get("addressee_number"))
    me = request.user.username
    try:
        runs = queries.list_runs(actor=actor_for(request), addressee_number=number or None)
    except RuleViolation as refusal:
        if not number:
            return refused_or_missing_page(request, refusal)
        return _page(request, "euc/runs.html", {"runs": [], "number": number,
                                                "errors": {"addressee_number": refusal.message}},
                     page="runs", status=403 if is_refusal_of_right(refusal) else 422)
    labels = _labels(request)
    return _page(request, "euc/runs.html", {"runs": [_run_row(r, me, labels) for r in runs], "number": number,
                                            "errors": {}},
                 page="runs")


@login_required
@require_POST
def check_date(request):
    """The 基準日/期間 inputs' instant check: what the typed 和暦/西暦 date is, or why it is not one."""
    raw = forms.clean(request.POST.get(request.POST.get("name", "") or "as_of") or "", 40)
    label = {"period_from": "期間の開始日", "period_to": "期間の終了日"}.get(request.POST.get("name"), "基準日")
    if not raw:
        return HttpResponse("")
    try:
        day = wareki.parse_exact_date(raw, label=label)
    except RuleViolation as refusal:
        return HttpResponse(f'<span class="bad">{_escape(refusal.message)}</span>')
    return HttpResponse(f'<span class="ok">{wareki.format_wareki(day)}（{day.isoformat()}）</span>')


def _escape(text: str) -> str:
    from django.utils.html import escape

    return escape(text)
