"""The statistics screens (住民記録 §10.1): one page with a 基準日 (和暦 or 西暦), tabs for the tables, the charts
beside their tables, and the XLSX and PDF downloads of every table. Views only authorize, parse and call: the
right, the parsing refusals and the operation log are in `queries`.
"""

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from jumin.accounts import rules as perms
from jumin.core.csvfile import attachment
from jumin.core.errors import RuleViolation
from jumin.core.http import actor_for, authorize, refused_page
from jumin.core.wareki import format_wareki
from jumin.core.xlsxfile import xlsx_response
from jumin.stats import document, queries, rules

TABS = [("age", "年齢別人口"), ("area", "行政区別・町丁別"), ("households", "世帯人員別"), ("types", "日本人・外国人"),
        ("monthly", "月別異動件数")]
TAB_CODES = {code for code, _ in TABS}
EXPORT = "statistics.export"
_INPUT_MAX = 30


def _raw(request, name: str) -> str | None:
    value = request.GET.get(name)
    return None if value is None else value[:_INPUT_MAX * 2]


def _read(request, function: str):
    """(day, month, errors) from the query: the refusals come back as messages next to their inputs."""
    actor = actor_for(request)
    errors, day, month = {}, None, None
    try:
        day = queries.read_day(_raw(request, "as_of"), actor=actor, function=function)
    except RuleViolation as refusal:
        errors["as_of"] = refusal.message
    if day is not None:
        try:
            month = queries.read_month(_raw(request, "month"), day=day, actor=actor, function=function)
        except RuleViolation as refusal:
            errors["month"] = refusal.message
    return day, month, errors


@login_required
@require_GET
def index(request):
    refused = authorize(request, perms.VIEW_STATISTICS, queries.FUNCTION)
    if refused:
        return refused
    tab = request.GET.get("tab") if request.GET.get("tab") in TAB_CODES else "age"
    day, month, errors = _read(request, queries.FUNCTION)
    values = {"as_of": request.GET.get("as_of", "")[:_INPUT_MAX * 2] or (format_wareki(day) if day else ""),
              "month": request.GET.get("month", "")[:_INPUT_MAX * 2] or (month.label if month else "")}
    context = {"tabs": TABS, "tab": tab, "values": values, "errors": errors, "query": ""}
    if not errors:
        actor = actor_for(request)
        query = {"as_of": day.isoformat(), "month": month.iso}
        context.update(query=urlencode(query), as_of_label=format_wareki(day), month_label=month.label,
                       tab_links={code: "?" + urlencode({**query, "tab": code}) for code, _ in TABS})
        if tab == "monthly":
            report = queries.monthly_report(month, actor=actor)
            tables = document.report_tables(report)
            context.update(report=report, chart=document.monthly_svg(report),
                           tables=[(t, document.cells(t)) for t in tables], through_label=format_wareki(report.through))
        else:
            population = queries.population(day, actor=actor)
            tables = {t.slug: (t, document.cells(t)) for t in document.population_tables(population)}
            context.update(population=population, tables=tables, **_charts(tab, population))
    return render(request, "stats/index.html", context, status=422 if errors else 200)


def _charts(tab: str, population) -> dict:
    if tab == "age":
        return {"chart": document.pyramid_svg(population)}
    if tab == "area":
        return {"chart": document.wards_svg(population)}
    if tab == "households":
        return {"chart": document.household_sizes_svg(population)}
    return {"chart": document.types_svg(population)}


def _file(request, fmt: str):
    refused = authorize(request, perms.VIEW_STATISTICS, EXPORT)
    if refused:
        return refused
    day, month, errors = _read(request, EXPORT)
    if errors:
        return refused_page(request, next(iter(errors.values())), 422)
    statistics = queries.statistics(day, month, actor=actor_for(request), function=EXPORT, output=fmt)
    name = document.file_stem(day)
    if fmt == "xlsx":
        return xlsx_response(document.xlsx_sheets(statistics), filename=f"統計-{day:%Y%m%d}.xlsx",
                             ascii_filename=f"{name}.xlsx")
    response = HttpResponse(document.pdf_bytes(statistics), content_type="application/pdf")
    response["Content-Disposition"] = attachment(f"統計-{day:%Y%m%d}.pdf", f"{name}.pdf", inline=True)
    return response


@login_required
@require_GET
def download_xlsx(request):
    return _file(request, "xlsx")


@login_required
@require_GET
def download_pdf(request):
    return _file(request, "pdf")
