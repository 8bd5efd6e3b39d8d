"""The built-in statistics' pure rules (住民記録 §10.1: the standard keeps these tables out of EUC; 共通機能 §4.1).

No Django here: age bands (5-year 0～4 … 95～99, 100歳以上, and single-year 0 … 99, 100歳以上), the
住基月報's columns and the class of each change (増: 転入・出生・その他 / 減: 転出・死亡・その他 / 転居),
the 月報's arithmetic (前月末 + 増 − 減 = 当月末), the month a 月報 is for, and the tables' shapes.

How a change is counted in the 月報: a snapshot (one person, one change) is an increase of a group (the city,
日本人 or 外国人, one 行政区) when the person was not a resident of that group in the snapshot before and is one
in this snapshot, a decrease in the opposite case, and a 転居 when the person stays in the group with the
事由 転居. The month of a snapshot is the month from which it is in force: its 異動日, or — for a snapshot
entered after a later-dated one — that later 異動日 (the rule of `register.queries.records_as_of`). Counted
this way, every month's table balances by construction, and it is checked anyway against the as-of counts.
"""

from __future__ import annotations

import calendar
import datetime
import re
import unicodedata
from dataclasses import dataclass, field

from jumin.core.errors import RuleViolation
from jumin.core.wareki import era_of, format_wareki, parse_exact_date
from jumin.register import choices as c

TOP_AGE = 100               # 100歳以上 is the last band of both tables
BAND = 5
UNKNOWN_AGE = "年齢不詳"     # 生年月日 不詳 (a 年月日不詳 birth date has no internal date, standard-spec §2.4)
SEXES = ((c.MALE, "男"), (c.FEMALE, "女"))
TYPES = ((c.JAPANESE, "日本人"), (c.FOREIGN, "外国人"))
ALL = "計"


# --------------------------------------------------------------------------- ages

@dataclass(frozen=True)
class Band:
    label: str
    low: int
    high: int | None        # None: and older


def five_year_bands() -> list[Band]:
    """0～4歳 … 95～99歳, 100歳以上 (the bands of 住民基本台帳に基づく人口 and the population pyramid)."""
    bands = [Band(f"{low}～{low + BAND - 1}歳", low, low + BAND - 1) for low in range(0, TOP_AGE, BAND)]
    return bands + [Band(f"{TOP_AGE}歳以上", TOP_AGE, None)]


def single_year_bands() -> list[Band]:
    """各歳: 0歳 … 99歳, 100歳以上."""
    return [Band(f"{age}歳", age, age) for age in range(TOP_AGE)] + [Band(f"{TOP_AGE}歳以上", TOP_AGE, None)]


def band_index(age: int | None, bands: list[Band]) -> int | None:
    """The band an age falls in; None for an unknown age (or a birth date after the day: a data error counted,
    not dropped, as 年齢不詳)."""
    if age is None or age < 0:
        return None
    for index, band in enumerate(bands):
        if band.high is None or age <= band.high:
            if age >= band.low:
                return index
    return None


def age_on(birth: datetime.date, on: datetime.date) -> int:
    """Completed years on `on` (年齢計算ニ関スル法律; the same count as register.rules.age_on, which the database
    expression in queries.py mirrors): one more at each birthday, a 29 February birthday on 1 March."""
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


@dataclass
class AgeTable:
    """Residents by age band × 性別 (男・女・計), with the 年齢不詳 row when there are any."""

    rows: list[dict]          # {"label", "male", "female", "total"}
    unknown: dict | None
    total: dict


def age_table(counts: dict[tuple[int | None, str], int], bands: list[Band]) -> AgeTable:
    """Fold {(age, sex): persons} into the bands. Every person lands in exactly one row (the total is checked
    by the tests against the population)."""
    rows = [{"label": b.label, "male": 0, "female": 0, "total": 0} for b in bands]
    unknown = {"label": UNKNOWN_AGE, "male": 0, "female": 0, "total": 0}
    for (age, sex), n in counts.items():
        index = band_index(age, bands)
        row = unknown if index is None else rows[index]
        key = _sex_key(sex)
        if key:
            row[key] += n
        row["total"] += n
    total = {"label": ALL, **{k: sum(r[k] for r in rows) + unknown[k] for k in ("male", "female", "total")}}
    return AgeTable(rows=rows, unknown=unknown if unknown["total"] else None, total=total)


def _sex_key(sex: str) -> str | None:
    """男 → male, 女 → female. The register knows no third value (standard-spec §2.1); anything else would be a
    data error, counted in the row's 計 only (never silently dropped)."""
    return "male" if sex == c.MALE else "female" if sex == c.FEMALE else None


# --------------------------------------------------------------------------- months

@dataclass(frozen=True)
class Month:
    year: int
    month: int

    @property
    def first(self) -> datetime.date:
        return datetime.date(self.year, self.month, 1)

    @property
    def last(self) -> datetime.date:
        return datetime.date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])

    @property
    def previous_end(self) -> datetime.date:
        """前月末: the day before the first."""
        return self.first - datetime.timedelta(days=1)

    @property
    def iso(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def label(self) -> str:
        """令和8年9月 (和暦 of the month's first day)."""
        name, year = era_of(self.first)
        return f"{name}{'元' if year == 1 else year}年{self.month}月"


_WESTERN_MONTH = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?")
_SHORT_WAREKI_MONTH = re.compile(r"[A-Za-z]\d{1,2}[./-]\d{1,2}")


def parse_month(text: str, *, field: str = "month") -> Month:
    """The month a 月報 is for, as typed: 2026-09, 2026/9, 2026年9月, 令和8年9月, R8.9 — or any date in it
    (令和8年9月30日). 和暦 goes through jumin.core.wareki, so 令和0年 or 平成32年 are refused there."""
    raw = unicodedata.normalize("NFKC", text or "").strip()     # full-width Ｒ８．９ as R8.9
    if not raw:
        raise RuleViolation("対象月を入力してください（例: 令和8年9月、2026-09）。", field=field, code="required")
    if len(raw) > 30:
        raise RuleViolation("対象月の形式が正しくありません。「令和8年9月」「2026-09」のように入力してください。",
                            field=field, code="invalid_format")
    western = _WESTERN_MONTH.fullmatch(raw)
    if western:
        year, month = int(western.group(1)), int(western.group(2))
        if not 1 <= month <= 12:
            raise RuleViolation(f"対象月の月（{month}）は1から12で入力してください。", field=field, code="invalid_date")
        return _checked(Month(year, month), field)
    if raw.endswith("月"):
        day = parse_exact_date(raw + "1日", field=field, label="対象月")
    elif _SHORT_WAREKI_MONTH.fullmatch(raw):
        day = parse_exact_date(raw + ".1", field=field, label="対象月")
    else:
        day = parse_exact_date(raw, field=field, label="対象月")
    return _checked(Month(day.year, day.month), field)


def _checked(month: Month, field: str) -> Month:
    from jumin.core.wareki import EARLIEST_DATE

    if month.first < EARLIEST_DATE:
        raise RuleViolation("対象月は明治6年1月（1873年1月）以降で指定してください。", field=field, code="out_of_range")
    return month


def default_month(as_of: datetime.date) -> Month:
    """The 月報 shown with a 基準日: the month ending on it, or — mid-month — the last complete month before it
    (a 月報 is made after its month is over)."""
    if as_of == Month(as_of.year, as_of.month).last:
        return Month(as_of.year, as_of.month)
    previous = Month(as_of.year, as_of.month).previous_end
    return Month(previous.year, previous.month)


def parse_day(text: str, *, field: str = "as_of") -> datetime.date:
    """基準日 as typed (和暦 or 西暦, jumin.core.wareki): 令和0年 or 2026-02-30 are refused with its message."""
    return parse_exact_date(text, field=field, label="基準日")


def day_label(day: datetime.date) -> str:
    return format_wareki(day)


# --------------------------------------------------------------------------- the 住基月報

TRANSFER_IN, BIRTH, OTHER_IN = "transfer_in", "birth", "other_in"
TRANSFER_OUT, DEATH, OTHER_OUT = "transfer_out", "death", "other_out"
WARD_IN, WARD_OUT = "ward_in", "ward_out"           # 区間移動 (a 転居 from one 行政区 to another)
RELOCATION = "relocation"

GAINS = (TRANSFER_IN, BIRTH, OTHER_IN)
LOSSES = (TRANSFER_OUT, DEATH, OTHER_OUT)
COLUMN_LABELS = {TRANSFER_IN: "転入", BIRTH: "出生", OTHER_IN: "その他", TRANSFER_OUT: "転出", DEATH: "死亡",
                 OTHER_OUT: "その他", WARD_IN: "区間転入", WARD_OUT: "区間転出", RELOCATION: "転居"}

_GAIN_OF = {"move_in_domestic": TRANSFER_IN, "move_in_abroad": TRANSFER_IN, "birth": BIRTH}
_LOSS_OF = {"move_out_domestic": TRANSFER_OUT, "move_out_abroad": TRANSFER_OUT, "death": DEATH}


def gain_column(reason_code: str) -> str:
    """増: 転入 (国内転入・国外転入等), 出生, その他 (職権記載, 帰化等・国籍喪失による記載, 異動の取消し（増）, 移行 …)."""
    return _GAIN_OF.get(reason_code, OTHER_IN)


def loss_column(reason_code: str) -> str:
    """減: 転出 (国内転出・国外転出), 死亡, その他 (職権消除, 帰化等・国籍喪失による消除, 異動の取消し（減） …)."""
    return _LOSS_OF.get(reason_code, OTHER_OUT)


@dataclass(frozen=True)
class Event:
    """One snapshot of the month, grouped: how many persons went from `before` to `after` with this 事由.
    `before`/`after` are (status, resident_type, ward code) of the previous snapshot and this one (`before`
    None for a person's first snapshot)."""

    reason_code: str
    before: tuple[str, str, str] | None
    after: tuple[str, str, str]
    persons: int


def _resident(state) -> bool:
    return state is not None and state[0] == c.RESIDENT


def group_keys(state, *, wards: bool) -> set[str]:
    """The 月報 rows a state counts in: 計, its 日本人/外国人 row, and (wards=True) its 行政区."""
    if not _resident(state):
        return set()
    keys = {ALL, state[1]}
    if wards:
        keys.add("ward:" + state[2])
    return keys


@dataclass
class ReportRow:
    key: str
    label: str
    before: int = 0                       # 前月末人口 (as-of count)
    after: int = 0                        # 当月末人口 (as-of count)
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def gains(self) -> int:
        return sum(self.counts.get(k, 0) for k in GAINS + (WARD_IN,))

    @property
    def losses(self) -> int:
        return sum(self.counts.get(k, 0) for k in LOSSES + (WARD_OUT,))

    @property
    def balance(self) -> int:
        return self.gains - self.losses

    @property
    def balances(self) -> bool:
        """The 月報's own check: 前月末 + 増 − 減 = 当月末."""
        return self.before + self.gains - self.losses == self.after


def count_events(events: list[Event], rows: dict[str, ReportRow]) -> None:
    """Add the month's snapshots to the rows: a group a person enters is 増 by the 事由 (a 転居 entering a 行政区
    is 区間転入), a group left is 減 (区間転出 for a 転居), a 転居 within a group is 転居."""
    for e in events:
        before = group_keys(e.before, wards=True)
        after = group_keys(e.after, wards=True)
        relocation = e.reason_code == "relocation"
        for key in after - before:
            if key in rows:
                column = WARD_IN if relocation and key.startswith("ward:") else gain_column(e.reason_code)
                rows[key].counts[column] = rows[key].counts.get(column, 0) + e.persons
        for key in before - after:
            if key in rows:
                column = WARD_OUT if relocation and key.startswith("ward:") else loss_column(e.reason_code)
                rows[key].counts[column] = rows[key].counts.get(column, 0) + e.persons
        if relocation:
            for key in before & after:
                if key in rows:
                    rows[key].counts[RELOCATION] = rows[key].counts.get(RELOCATION, 0) + e.persons


REPORT_COLUMNS = [("before", "前月末人口"), (TRANSFER_IN, "増：転入"), (BIRTH, "増：出生"), (OTHER_IN, "増：その他"),
                  (WARD_IN, "増：区間転入"), ("gains", "増：計"), (TRANSFER_OUT, "減：転出"), (DEATH, "減：死亡"),
                  (OTHER_OUT, "減：その他"), (WARD_OUT, "減：区間転出"), ("losses", "減：計"), ("balance", "増減"),
                  ("after", "当月末人口"), (RELOCATION, "転居"), ("check", "検算（前月末＋増－減＝当月末）")]


def report_cells(row: ReportRow) -> list:
    """One 月報 row in REPORT_COLUMNS order (the 区間 columns are blank outside the 行政区 rows)."""
    ward = row.key.startswith("ward:")
    out = []
    for key, _label in REPORT_COLUMNS:
        if key == "before":
            out.append(row.before)
        elif key == "after":
            out.append(row.after)
        elif key == "gains":
            out.append(row.gains)
        elif key == "losses":
            out.append(row.losses)
        elif key == "balance":
            out.append(row.balance)
        elif key == "check":
            out.append("一致" if row.balances else "不一致")
        elif key in (WARD_IN, WARD_OUT) and not ward:
            out.append("")
        else:
            out.append(row.counts.get(key, 0))
    return out


def reason_label(code: str) -> str:
    reason = c.REASON_BY_CODE.get(code)
    return reason.label if reason else code
