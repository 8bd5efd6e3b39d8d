"""The statistics as tables, and the tables as files: XLSX (one sheet per table, `jumin.core.xlsxfile`), CSV (one
file per table, `jumin.core.csvfile`) and PDF (WeasyPrint with IPAmj明朝 through `jumin.certificates.render`, with
the charts' SVG drawn in). The screen, the API, the downloads and `jumin statistics` all show these same tables,
so a number means the same wherever it is read.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from pathlib import Path

from django.template.loader import render_to_string
from django.utils import timezone

from jumin.core.csvfile import iter_csv
from jumin.core.models import current_municipality
from jumin.core.wareki import format_wareki
from jumin.core.xlsxfile import Sheet, write_xlsx
from jumin.register import choices as c
from jumin.stats import charts, rules
from jumin.stats.queries import MonthlyReport, Population, Statistics

HOUSEHOLD_TYPE_LABELS = {c.JAPANESE: "日本人住民のみの世帯", c.FOREIGN: "外国人住民のみの世帯",
                         "mixed": "日本人住民と外国人住民の複数国籍世帯"}
NOTE = ("住民基本台帳に記録されている住民（日本人住民・外国人住民）を、基準日に効力のある記録（異動日による）で"
        "数えています。年齢は基準日現在の満年齢です。")


@dataclass
class Table:
    slug: str             # file name of its CSV (ASCII)
    title: str            # sheet name and heading (Japanese)
    header: list[str]
    rows: list[list]


# --------------------------------------------------------------------------- tables

def age_tables(p: Population) -> tuple[rules.AgeTable, rules.AgeTable]:
    return rules.age_table(p.ages, rules.five_year_bands()), rules.age_table(p.ages, rules.single_year_bands())


def _age_rows(table: rules.AgeTable) -> list[list]:
    rows = [[r["label"], r["male"], r["female"], r["total"]] for r in table.rows]
    if table.unknown:
        u = table.unknown
        rows.append([u["label"], u["male"], u["female"], u["total"]])
    t = table.total
    return rows + [[t["label"], t["male"], t["female"], t["total"]]]


def type_rows(p: Population) -> list[list]:
    """日本人・外国人: persons by 性別, and the households of each kind (複数国籍世帯 apart)."""
    rows = []
    for code, label in rules.TYPES:
        male, female = p.by_type.get((code, c.MALE), 0), p.by_type.get((code, c.FEMALE), 0)
        total = sum(n for (t, _s), n in p.by_type.items() if t == code)
        rows.append([label, male, female, total, p.household_types.get(code, 0)])
    rows.append(["複数国籍世帯", "", "", "", p.household_types.get("mixed", 0)])
    rows.append([rules.ALL, sum(r[1] for r in rows[:2]), sum(r[2] for r in rows[:2]), p.total, p.households])
    return rows


def population_tables(p: Population) -> list[Table]:
    five, single = age_tables(p)
    ward_rows = [[w["code"], w["name"], w["male"], w["female"], w["total"], w["japanese"], w["foreign"],
                  w["households"]] for w in p.wards]
    ward_rows.append(["", rules.ALL, sum(w["male"] for w in p.wards), sum(w["female"] for w in p.wards), p.total,
                      sum(w["japanese"] for w in p.wards), sum(w["foreign"] for w in p.wards), p.households])
    town_rows = [[t["ward_name"], t["code"], t["name"], t["male"], t["female"], t["total"], t["households"]]
                 for t in p.towns]
    size_rows = [[f"{s['size']}人", s["households"], s["persons"]] for s in p.household_sizes]
    size_rows.append([rules.ALL, p.households, p.total])
    ward_age_rows = []
    for w in p.wards:
        table = rules.age_table(p.ward_ages.get(w["code"], {}), rules.five_year_bands())
        ward_age_rows += [[w["name"], *row] for row in _age_rows(table)]
    return [
        Table("age5", "年齢別人口（5歳階級）", ["年齢", "男", "女", "計"], _age_rows(five)),
        Table("age1", "年齢別人口（各歳）", ["年齢", "男", "女", "計"], _age_rows(single)),
        Table("wards", "行政区別人口・世帯数", ["行政区コード", "行政区", "男", "女", "計", "日本人", "外国人", "世帯数"],
              ward_rows),
        Table("ward_age5", "行政区別・年齢別人口（5歳階級）", ["行政区", "年齢", "男", "女", "計"], ward_age_rows),
        Table("towns", "町丁別人口・世帯数", ["行政区", "町丁コード", "町丁", "男", "女", "計", "世帯数"], town_rows),
        Table("household_sizes", "世帯人員別世帯数", ["世帯人員", "世帯数", "世帯人員の計"], size_rows),
        Table("resident_types", "日本人・外国人別人口・世帯数", ["区分", "男", "女", "計", "世帯数"], type_rows(p)),
    ]


def report_tables(r: MonthlyReport) -> list[Table]:
    rows = [[row.label, *rules.report_cells(row)] for row in r.rows]
    return [
        Table("monthly", f"住基月報（{r.month.label}）", ["区分"] + [label for _k, label in rules.REPORT_COLUMNS], rows),
        Table("monthly_households", f"世帯数（{r.month.label}）", ["前月末世帯数", "当月末世帯数", "増減"],
              [[r.households_before, r.households_after, r.households_after - r.households_before]]),
        Table("monthly_reasons", f"異動事由別人数（{r.month.label}）", ["異動事由", "人数"],
              [[x["label"], x["persons"]] for x in r.reasons] + [[rules.ALL, sum(x["persons"] for x in r.reasons)]]),
        Table("monthly_kinds", f"異動処理別件数（{r.month.label}・本登録）", ["異動処理", "件数"],
              [[x["label"], x["changes"]] for x in r.kinds] + [[rules.ALL, sum(x["changes"] for x in r.kinds)]]),
    ]


def summary_rows(s: Statistics) -> list[list]:
    m = current_municipality()
    return [["団体", f"{m.prefecture}{m.name}" if m else ""], ["基準日", format_wareki(s.population.as_of)],
            ["基準日（西暦）", s.population.as_of.isoformat()], ["住基月報の対象月", s.report.month.label],
            ["月報の集計期間", f"{format_wareki(s.report.month.first)}～{format_wareki(s.report.through)}"],
            ["人口", s.population.total], ["世帯数", s.population.households],
            ["作成日時", timezone.localtime().strftime("%Y-%m-%d %H:%M")], ["注記", NOTE]]


def all_tables(s: Statistics) -> list[Table]:
    return ([Table("summary", "概要", ["項目", "内容"], summary_rows(s))]
            + population_tables(s.population) + report_tables(s.report))


# --------------------------------------------------------------------------- charts

def pyramid_svg(p: Population, *, chart_id: str = "pyramid", font_family: str = "sans-serif") -> str:
    five, _ = age_tables(p)
    biggest = max(five.rows, key=lambda r: r["total"])
    desc = (f"{format_wareki(p.as_of)}現在の5歳階級別人口。男 {five.total['male']:,}人、女 {five.total['female']:,}人、"
            f"計 {five.total['total']:,}人。最も多い階級は{biggest['label']}（{biggest['total']:,}人）。"
            "左が男、右が女。数値は隣の表にあります。")
    return charts.pyramid([(r["label"], r["male"], r["female"]) for r in five.rows], chart_id=chart_id,
                          title="人口ピラミッド（5歳階級）", desc=desc, font_family=font_family)


def wards_svg(p: Population, *, chart_id: str = "wards-chart", font_family: str = "sans-serif") -> str:
    rows = [(w["name"], w["total"]) for w in p.wards]
    desc = "行政区別の人口。" + "、".join(f"{name} {n:,}人" for name, n in rows) + "。数値は隣の表にあります。"
    return charts.bar_chart(rows, chart_id=chart_id, title="行政区別人口", desc=desc, font_family=font_family)


def household_sizes_svg(p: Population, *, chart_id: str = "households-chart", font_family: str = "sans-serif") -> str:
    rows = [(f"{s['size']}人", s["households"]) for s in p.household_sizes]
    desc = ("世帯人員別の世帯数。" + "、".join(f"{label}世帯 {n:,}" for label, n in rows)
            + "。数値は隣の表にあります。")
    return charts.bar_chart(rows, chart_id=chart_id, title="世帯人員別世帯数", desc=desc, unit="世帯",
                            font_family=font_family)


def types_svg(p: Population, *, chart_id: str = "types-chart", font_family: str = "sans-serif") -> str:
    rows = [(label, sum(n for (t, _s), n in p.by_type.items() if t == code)) for code, label in rules.TYPES]
    desc = "日本人住民と外国人住民の人数。" + "、".join(f"{label} {n:,}人" for label, n in rows) + "。"
    return charts.bar_chart(rows, chart_id=chart_id, title="日本人・外国人別人口", desc=desc, font_family=font_family)


def monthly_svg(r: MonthlyReport, *, chart_id: str = "monthly-chart", font_family: str = "sans-serif") -> str:
    total = r.rows[0]
    rows = [(rules.COLUMN_LABELS[k] + ("（増）" if k == rules.OTHER_IN else "（減）" if k == rules.OTHER_OUT else ""),
             total.counts.get(k, 0)) for k in rules.GAINS + rules.LOSSES + (rules.RELOCATION,)]
    desc = (f"{r.month.label}の異動（総数）。" + "、".join(f"{label} {n:,}人" for label, n in rows)
            + f"。前月末 {total.before:,}人、当月末 {total.after:,}人。")
    return charts.bar_chart(rows, chart_id=chart_id, title=f"月別異動件数（{r.month.label}）", desc=desc,
                            font_family=font_family)


# --------------------------------------------------------------------------- files

def write_xlsx_file(s: Statistics, out) -> dict:
    return write_xlsx(out, [Sheet(t.title, t.header, t.rows) for t in all_tables(s)])


def xlsx_sheets(s: Statistics) -> list[Sheet]:
    return [Sheet(t.title, t.header, t.rows) for t in all_tables(s)]


def write_csv_files(s: Statistics, directory: Path) -> list[Path]:
    """One CSV per table (UTF-8 with BOM, so Excel reads the Japanese), named by the table's slug."""
    written = []
    for index, table in enumerate(all_tables(s), start=1):
        path = directory / f"{index:02d}_{table.slug}.csv"
        with path.open("wb") as handle:
            for chunk in iter_csv(table.rows, table.header):
                handle.write(chunk)
        written.append(path)
    return written


PDF_CSS = """
@page { size: A4 portrait; margin: 14mm 12mm;
        @bottom-right { content: counter(page) "/" counter(pages); font-family: IPAmjMincho; font-size: 8pt; } }
html { font-family: IPAmjMincho; font-size: 9pt; }
h1 { font-size: 15pt; text-align: center; font-weight: normal; margin: 0 0 3mm; }
h2 { font-size: 11.5pt; font-weight: normal; border-bottom: .3mm solid #000; margin: 5mm 0 2mm; }
section { display: block; }
section.table { break-before: auto; }
p.meta { margin: 0 0 2mm; }
p.note { font-size: 8pt; }
svg { display: block; width: 100%; height: auto; margin: 0 0 2mm; }
table { width: 100%; border-collapse: collapse; }
th, td { border: .2mm solid #000; padding: .6mm 1.2mm; text-align: left; font-weight: normal; }
th { background: #eeeeee; }
td.n { text-align: right; }
thead { display: table-header-group; }
"""


def pdf_bytes(s: Statistics) -> bytes:
    from jumin.certificates.render import FONT_FAMILY, html_to_pdf

    p = s.population
    figures = {
        "age5": pyramid_svg(p, chart_id="pdf-pyramid", font_family=FONT_FAMILY),
        "wards": wards_svg(p, chart_id="pdf-wards", font_family=FONT_FAMILY),
        "household_sizes": household_sizes_svg(p, chart_id="pdf-households", font_family=FONT_FAMILY),
        "resident_types": types_svg(p, chart_id="pdf-types", font_family=FONT_FAMILY),
        "monthly": monthly_svg(s.report, chart_id="pdf-monthly", font_family=FONT_FAMILY),
    }
    tables = [{"table": t, "figure": figures.get(t.slug, ""), "cells": cells(t)} for t in all_tables(s)[1:]]
    m = current_municipality()
    html = render_to_string("stats/report_pdf.html", {
        "municipality": f"{m.prefecture}{m.name}" if m else "", "as_of": format_wareki(p.as_of),
        "month": s.report.month.label, "through": format_wareki(s.report.through), "tables": tables,
        "summary": summary_rows(s), "made_at": timezone.localtime().strftime("%Y-%m-%d %H:%M"),
    })
    return html_to_pdf(html, stylesheet=PDF_CSS)


def _is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def cells(table: Table) -> list[list[tuple[str, bool]]]:
    """The rows as shown on the screen and in the PDF: (text, is a number); numbers with thousands separators."""
    return [[(f"{v:,}" if _is_number(v) else "" if v is None else str(v), _is_number(v)) for v in row]
            for row in table.rows]


def file_stem(day: datetime.date) -> str:
    return f"statistics-{day:%Y%m%d}"


# --------------------------------------------------------------------------- the API's answers (same tables)

BY = {"age5": "年齢（5歳階級）・性別", "age1": "年齢（各歳）・性別", "ward": "行政区", "town": "町丁",
      "household_size": "世帯人員別世帯数", "resident_type": "日本人・外国人"}


def _band_key(band: rules.Band) -> str:
    return f"{band.low}-" if band.high is None else f"{band.low}-{band.high}"


def _row(key, label, *, ward=None, male=None, female=None, total=None, households=None, japanese=None,
         foreign=None) -> dict:
    return {"key": key, "label": label, "ward": ward, "male": male, "female": female, "total": total,
            "households": households, "japanese": japanese, "foreign": foreign}


def population_answer(p: Population, by: str) -> dict:
    """One population table as the API answers it (`by` one of BY)."""
    rows = []
    if by in ("age5", "age1"):
        bands = rules.five_year_bands() if by == "age5" else rules.single_year_bands()
        table = rules.age_table(p.ages, bands)
        for band, r in zip(bands, table.rows):
            rows.append(_row(_band_key(band), r["label"], male=r["male"], female=r["female"], total=r["total"]))
        if table.unknown:
            u = table.unknown
            rows.append(_row("unknown", u["label"], male=u["male"], female=u["female"], total=u["total"]))
    elif by == "ward":
        rows = [_row(w["code"], w["name"], male=w["male"], female=w["female"], total=w["total"],
                     households=w["households"], japanese=w["japanese"], foreign=w["foreign"]) for w in p.wards]
    elif by == "town":
        rows = [_row(t["code"], t["name"], ward=t["ward_name"], male=t["male"], female=t["female"], total=t["total"],
                     households=t["households"]) for t in p.towns]
    elif by == "household_size":
        rows = [_row(str(s["size"]), f"{s['size']}人", total=s["persons"], households=s["households"])
                for s in p.household_sizes]
    elif by == "resident_type":
        for code, label in rules.TYPES:
            rows.append(_row(code, label, male=p.by_type.get((code, c.MALE), 0),
                             female=p.by_type.get((code, c.FEMALE), 0),
                             total=sum(n for (t, _s), n in p.by_type.items() if t == code),
                             households=p.household_types.get(code, 0)))
        rows.append(_row("mixed", "複数国籍世帯", households=p.household_types.get("mixed", 0)))
    return {"as_of": p.as_of.isoformat(), "as_of_display": format_wareki(p.as_of), "by": by, "by_label": BY[by],
            "total": p.total, "households": p.households, "rows": rows}


def report_answer(r: MonthlyReport) -> dict:
    rows = []
    for row in r.rows:
        ward = row.key.startswith("ward:")
        rows.append({
            "key": row.key, "label": row.label, "before": row.before,
            **{k: row.counts.get(k, 0) for k in rules.GAINS + rules.LOSSES + (rules.RELOCATION,)},
            "ward_in": row.counts.get(rules.WARD_IN, 0) if ward else None,
            "ward_out": row.counts.get(rules.WARD_OUT, 0) if ward else None,
            "gains": row.gains, "losses": row.losses, "balance": row.balance, "after": row.after,
            "balances": row.balances})
    return {"month": r.month.iso, "month_display": r.month.label, "first": r.month.first.isoformat(),
            "through": r.through.isoformat(), "balances": r.balances, "households_before": r.households_before,
            "households_after": r.households_after, "rows": rows, "reasons": r.reasons, "kinds": r.kinds}
