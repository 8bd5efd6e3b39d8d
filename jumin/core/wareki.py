"""和暦 (Japanese era) dates: read what a clerk types, write what a certificate shows.

standard-spec §2.4: dates are shown in 和暦 (foreign residents' 生年月日 and 在留期間の満了の日 in
西暦), the era table must be parameter-driven so that a new 元号 needs no code change, and some
items (生年月日, 住民となった年月日, …) must also accept the non-calendar dates and 不詳日 forms that
戸籍 uses, while keeping a real internal date next to the literal text.

The era table lives in eras.json next to this file. Setting the environment variable
JUMIN_ERAS_FILE to another JSON file of the same shape replaces it (tooling.md §4). Every public
function also takes `eras=` so tests can pass their own table.

Dates before 1873-01-01 (明治6年1月1日) are refused: Japan used the lunar calendar before that day,
so a Gregorian internal date would be wrong (tooling.md §4).
"""

from __future__ import annotations

import calendar
import datetime
import functools
import json
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import jaconv

from jumin.core.errors import RuleViolation

ERAS_FILE_ENV = "JUMIN_ERAS_FILE"
BUNDLED_ERAS_FILE = Path(__file__).with_name("eras.json")

# The solar (Gregorian) calendar was adopted on 明治6年1月1日; earlier dates are lunar.
EARLIEST_DATE = datetime.date(1873, 1, 1)


# --------------------------------------------------------------------------- era table


@dataclass(frozen=True)
class Era:
    """One row of the era table.

    `overlap_day` means the previous era's writing of this era's first day is also accepted as a
    non-calendar date, as 戸籍 does (明治45年7月30日 = 大正元年7月30日, standard-spec §2.4).
    """

    name: str
    abbr: str
    start: datetime.date
    overlap_day: bool = False

    @classmethod
    def from_dict(cls, data: dict) -> Era:
        """Build an Era from one JSON object of the era table."""
        start = data["start"]
        if not isinstance(start, datetime.date):
            start = datetime.date.fromisoformat(start)
        return cls(
            name=str(data["name"]),
            abbr=str(data["abbr"]).upper(),
            start=start,
            overlap_day=bool(data.get("overlap_day", False)),
        )


_loaded_tables: dict[str, tuple[Era, ...]] = {}


def load_eras(path: str | os.PathLike | None = None) -> tuple[Era, ...]:
    """The era table from `path`, or from JUMIN_ERAS_FILE, or the bundled eras.json.

    Read lazily on first use and kept per file path: the table is national data, the same for
    every municipality, so caching it does not break the one-municipality-per-database rule.
    """
    if path is None:
        path = os.environ.get(ERAS_FILE_ENV) or BUNDLED_ERAS_FILE
    key = str(path)
    if key not in _loaded_tables:
        with open(path, encoding="utf-8") as f:
            rows = json.load(f)
        if not isinstance(rows, list):
            raise ValueError(f"元号表 {key} は JSON の配列で記述してください。")
        _loaded_tables[key] = _checked_table([Era.from_dict(row) for row in rows], source=key)
    return _loaded_tables[key]


def _checked_table(eras: list[Era], *, source: str) -> tuple[Era, ...]:
    """Refuse a broken era table early: a wrong table would mis-date every certificate."""
    if not eras:
        raise ValueError(f"元号表 {source} が空です。")
    for era in eras:
        if len(era.abbr) != 1 or not ("A" <= era.abbr <= "Z"):
            raise ValueError(f"元号表 {source}: {era.name} の略号は英字1文字にしてください。")
    for earlier, later in zip(eras, eras[1:]):
        if later.start <= earlier.start:
            raise ValueError(f"元号表 {source}: 元号は開始日の古い順に並べてください。")
    if len({e.name for e in eras}) != len(eras) or len({e.abbr for e in eras}) != len(eras):
        raise ValueError(f"元号表 {source}: 元号名と略号は重複しないようにしてください。")
    if eras[0].overlap_day:
        raise ValueError(f"元号表 {source}: 最初の元号には前の元号がないため overlap_day は指定できません。")
    return tuple(eras)


def _table(eras: Iterable[Era | dict] | None) -> tuple[Era, ...]:
    if eras is None:
        return load_eras()
    return _checked_table(
        [e if isinstance(e, Era) else Era.from_dict(e) for e in eras], source="（引数）"
    )


def _next_era(era: Era, table: tuple[Era, ...]) -> Era | None:
    index = table.index(era)
    return table[index + 1] if index + 1 < len(table) else None


def _era_containing(d: datetime.date, table: tuple[Era, ...]) -> Era:
    if d < EARLIEST_DATE or d < table[0].start:
        raise ValueError(f"{d.isoformat()} は和暦で表せる範囲（1873年1月1日以降）より前です。")
    for era in reversed(table):
        if era.start <= d:
            return era
    raise AssertionError("unreachable")  # pragma: no cover


# --------------------------------------------------------------------------- formatting


def era_of(d: datetime.date, *, eras=None) -> tuple[str, int]:
    """The era name and era year of a calendar date, e.g. ("令和", 1) for 2019-05-01."""
    table = _table(eras)
    era = _era_containing(d, table)
    return era.name, d.year - era.start.year + 1


def format_wareki(d: datetime.date, *, gannen: bool = True, eras=None) -> str:
    """A date in 和暦 as printed on certificates: 令和元年5月1日, 昭和45年3月1日 (standard-spec §2.4).

    Year 1 is written 元年 unless gannen=False. Digit style (full-width, 漢数字) is left to the
    template.
    """
    name, year = era_of(d, eras=eras)
    year_text = "元" if year == 1 and gannen else str(year)
    return f"{name}{year_text}年{d.month}月{d.day}日"


def format_wareki_short(d: datetime.date, *, eras=None) -> str:
    """A compact 和暦 date for lists and screens: R1.5.1, S45.3.1."""
    table = _table(eras)
    era = _era_containing(d, table)
    return f"{era.abbr}{d.year - era.start.year + 1}.{d.month}.{d.day}"


def format_seireki(d: datetime.date) -> str:
    """A date in 西暦, e.g. 1970年3月1日: foreign residents' 生年月日 are shown this way (§2.4)."""
    return f"{d.year}年{d.month}月{d.day}日"


# --------------------------------------------------------------------------- parsing


@dataclass(frozen=True)
class ParsedDate:
    """A parsed date item (standard-spec §2.4).

    `date` is the real internal date used for sorting, ages and linkage (None only for 年月日不詳).
    `text` is the literal to keep and display when the input is not an exact calendar date (a
    non-calendar date such as 明治45年7月30日, or a 不詳日 form such as 昭和45年頃); it is None for
    an ordinary calendar date.
    """

    date: datetime.date | None
    text: str | None = None

    @property
    def exact(self) -> bool:
        """True for an ordinary calendar date, which needs no literal text next to it."""
        return self.text is None and self.date is not None


def format_parsed_date(parsed: ParsedDate, *, western: bool = False, eras=None) -> str:
    """What to show for a parsed date item: the kept literal if there is one, else the date in
    和暦 (or 西暦 when western=True, for foreign residents, standard-spec §2.4)."""
    if parsed.text is not None:
        return parsed.text
    if parsed.date is None:  # pragma: no cover - ParsedDate(None, None) is never produced
        return ""
    return format_seireki(parsed.date) if western else format_wareki(parsed.date, eras=eras)


# The longest accepted form (…年…月…日頃から…日頃までの間, with spaces) is far shorter.
_MAX_INPUT_LENGTH = 64

# Characters people use between year, month and day that are not ASCII "-", "/" or ".".
_DASHES = "‐‑‒–—―−ーｰ"


def _compact(value: str) -> str:
    """Full-width digits, letters and separators to ASCII; dashes to '-'; spaces removed."""
    text = jaconv.z2h(value, kana=False, ascii=True, digit=True)
    for dash in _DASHES:
        text = text.replace(dash, "-")
    text = re.sub(r"\s+", "", text)
    return text.upper()


@functools.lru_cache(maxsize=16)
def _patterns(era_names: tuple[str, ...]) -> tuple[list, list]:
    """Regular expressions for the accepted input forms, built from the era names in use."""
    era = "(?P<era>" + "|".join(re.escape(n) for n in era_names) + "|[A-Z])?"
    y = era + r"(?P<year>元|\d{1,4})年"
    m = r"(?P<month>\d{1,2})月"
    d = r"(?P<day>\d{1,2})日"
    exact = [
        era + r"(?P<year>元|\d{1,4})[./-](?P<month>\d{1,2})[./-](?P<day>\d{1,2})",  # S45.3.1
        y + m + d,  # 昭和45年3月1日, 1970年3月1日
        r"(?P<era>[A-Z])(?P<year>\d{2})(?P<month>\d{2})(?P<day>\d{2})",  # S450301
        r"(?P<year>\d{4})(?P<month>\d{2})(?P<day>\d{2})",  # 19700301
    ]
    uncertain = [
        ("year_circa", y + "頃"),
        ("month_circa", y + m + "頃"),
        ("day_circa", y + m + d + "頃"),
        ("estimated_day", "推定" + y + m + d),
        ("estimated_month", "推定" + y + m),
        ("season", y + "(?P<season>春|夏|秋|冬)"),
        ("part_of_month", y + m + "(?P<part>上旬|中旬|下旬)(?P<circa>頃)?"),
        ("all_unknown", "年月日不詳"),
        ("month_day_unknown", y + "月日不詳"),
        ("day_unknown", y + m + "日不詳"),
        ("between_days", y + m + d + r"から(?P<month2>\d{1,2})月(?P<day2>\d{1,2})日頃までの間"),
        ("estimated_between", y + m + r"推定(?P<day>\d{1,2})日から(?P<day2>\d{1,2})日までの間"),
        ("circa_between", y + m + d + r"頃から(?P<day2>\d{1,2})日頃までの間"),
    ]
    return (
        [re.compile(p) for p in exact],
        [(kind, re.compile(p)) for kind, p in uncertain],
    )


_SEASONS = {"春": (3, 5), "夏": (6, 8), "秋": (9, 11), "冬": (12, 12)}
_PARTS_OF_MONTH = {"上旬": (1, 10), "中旬": (11, 20), "下旬": (21, None)}


@dataclass(frozen=True)
class _Year:
    era: Era | None  # None means 西暦
    typed: str  # digits as typed (ASCII), or 元
    number: int  # era year, or the western year when era is None

    @property
    def western(self) -> int:
        return self.number if self.era is None else self.era.start.year + self.number - 1

    @property
    def text(self) -> str:
        """Canonical literal: era kanji + the digits as typed, e.g. 昭和05年, 令和元年, 1970年."""
        return f"{self.era.name if self.era else ''}{self.typed}年"

    @property
    def shown(self) -> str:
        """For messages: 令和2年, 令和元年, 2021年."""
        number = "元" if self.typed == "元" else str(self.number)
        return f"{self.era.name if self.era else ''}{number}年"


class _Reader:
    """Turns the parts of a matched input into dates, refusing with clerk-readable messages."""

    def __init__(self, original: str, *, label: str, field: str | None, table: tuple[Era, ...]):
        self.original = original
        self.label = label
        self.field = field
        self.table = table

    def fail(self, message: str, code: str) -> None:
        raise RuleViolation(message, field=self.field, code=code)

    def fail_format(self) -> None:
        self.fail(
            f"{self.label}の形式が正しくありません（{self.original}）。"
            "「昭和45年3月1日」「S45.3.1」「1970-03-01」のように入力してください。",
            "invalid_format",
        )

    def era(self, token: str) -> Era:
        for era in self.table:
            if token in (era.name, era.abbr):
                return era
        letters = "・".join(f"{e.abbr}（{e.name}）" for e in self.table)
        self.fail(
            f"{self.label}の元号「{token}」が正しくありません（{self.original}）。"
            f"元号の略号は {letters} のいずれかを使用してください。",
            "invalid_format",
        )

    def year(self, era_token: str | None, typed: str) -> _Year:
        if era_token is None:
            if len(typed) != 4:  # 西暦 needs four digits; "45年" alone is ambiguous
                self.fail_format()
            year = _Year(None, typed, int(typed))
        else:
            if typed != "元" and len(typed) > 2:
                self.fail_format()
            era = self.era(era_token)
            year = _Year(era, typed, 1 if typed == "元" else int(typed))
            next_era = _next_era(era, self.table)
            last_year = None
            if next_era is not None:
                last_day = next_era.start - datetime.timedelta(days=1)
                last_year = last_day.year - era.start.year + 1
            if year.number < 1 or (last_year is not None and year.number > last_year):
                message = f"{self.label}に存在しない年（{year.shown}）が入力されています。"
                if last_year is not None and year.number > last_year:
                    message += f"{era.name}は{last_year}年までです。"
                self.fail(message, "invalid_date")
        if year.western < EARLIEST_DATE.year:
            self.fail_too_early()
        return year

    def fail_too_early(self) -> None:
        self.fail(
            f"{self.label}には明治6年1月1日（1873年1月1日）以降の日付を入力してください"
            f"（{self.original}）。それより前は太陰暦のため扱えません。",
            "out_of_range",
        )

    def month(self, year: _Year, typed: str) -> int:
        month = int(typed)
        if not 1 <= month <= 12:
            self.fail(f"{self.label}に存在しない月（{year.shown}{month}月）が入力されています。", "invalid_date")
        return month

    def day(self, year: _Year, month: int, day: int, *, allow_noncalendar: bool) -> tuple[datetime.date, bool]:
        """The internal date of one written day, and whether the writing is a non-calendar date.

        Non-calendar dates (standard-spec §2.4) are accepted only with allow_noncalendar: 29
        February of a common year (kept as 28 February) and an era's overlap day written in the
        previous era (明治45年7月30日).
        """
        shown = f"{year.shown}{month}月{day}日"
        impossible = f"{self.label}に存在しない日付（{shown}）が入力されています。"
        if not 1 <= month <= 12:
            self.fail(impossible, "invalid_date")
        noncalendar = False
        try:
            internal = datetime.date(year.western, month, day)
        except ValueError:
            if allow_noncalendar and month == 2 and day == 29:
                internal = datetime.date(year.western, 2, 28)
                noncalendar = True
            else:
                self.fail(impossible, "invalid_date")
        if year.era is not None:
            era = year.era
            if internal < era.start:
                first_day = format_wareki(era.start, eras=self.table)
                self.fail(impossible + f"{era.name}は{first_day}からです。", "invalid_date")
            next_era = _next_era(era, self.table)
            if next_era is not None and internal >= next_era.start:
                if allow_noncalendar and next_era.overlap_day and internal == next_era.start:
                    noncalendar = True
                else:
                    last_day = format_wareki(next_era.start - datetime.timedelta(days=1), eras=self.table)
                    self.fail(impossible + f"{era.name}は{last_day}までです。", "invalid_date")
        if internal < EARLIEST_DATE:
            self.fail_too_early()
        return internal, noncalendar

    def period_start(self, year: _Year, first: datetime.date, last: datetime.date, shown: str) -> datetime.date:
        """The first day of a period (年頃, 春, 上旬 …) that lies inside the written era.

        平成元年頃 starts on 平成元年1月8日, not on 1 January, because that is the first day the
        writing can mean. A period entirely outside the era does not exist and is refused.
        """
        start, end = first, last
        if year.era is not None:
            start = max(start, year.era.start)
            next_era = _next_era(year.era, self.table)
            if next_era is not None:
                end = min(end, next_era.start - datetime.timedelta(days=1))
        if start > end:  # only an era boundary can empty a period
            era = year.era
            message = f"{self.label}に存在しない期間（{shown}）が入力されています。"
            if last < era.start:
                message += f"{era.name}は{format_wareki(era.start, eras=self.table)}からです。"
            else:
                message += f"{era.name}は{format_wareki(end, eras=self.table)}までです。"
            self.fail(message, "invalid_date")
        return start


def parse_date(
    value: str,
    *,
    allow_uncertain: bool = False,
    field: str | None = None,
    label: str = "日付",
    eras=None,
) -> ParsedDate:
    """Read a date as typed at the counter (standard-spec §2.4, tooling.md §4).

    Accepts 和暦 (昭和45年3月1日, 令和元年5月1日, S45.3.1, s45/3/1, S45-3-1, S450301) and 西暦
    (1970-03-01, 1970/3/1, 1970.3.1, 19700301, 1970年3月1日), with full-width digits and letters.
    Only items that 戸籍 may record loosely (生年月日, 住民となった年月日, 住所を定めた年月日,
    外国人住民となった年月日, 異動日 of 出生・死亡・失踪) pass allow_uncertain=True; they then also
    accept non-calendar dates and the 不詳日 forms, returning the literal in `text` and the first
    day of the period in `date` (None for 年月日不詳).
    """
    table = _table(eras)
    original = "" if value is None else str(value).strip()
    if not original:
        raise RuleViolation(f"{label}を入力してください。", field=field, code="required")
    if len(original) > _MAX_INPUT_LENGTH:  # no date form is this long; do not scan megabytes
        raise RuleViolation(
            f"{label}の形式が正しくありません（{original[:20]}…）。"
            "「昭和45年3月1日」「S45.3.1」「1970-03-01」のように入力してください。",
            field=field,
            code="invalid_format",
        )
    reader = _Reader(original, label=label, field=field, table=table)
    compact = _compact(original)
    exact_patterns, uncertain_patterns = _patterns(tuple(era.name for era in table))

    for pattern in exact_patterns:
        match = pattern.fullmatch(compact)
        if match:
            return _read_exact(reader, match, allow_noncalendar=allow_uncertain)

    for kind, pattern in uncertain_patterns:
        match = pattern.fullmatch(compact)
        if match:
            if not allow_uncertain:
                raise RuleViolation(
                    f"{label}は暦上の日付（例: 昭和45年3月1日）で入力してください。"
                    f"「{original}」のような不詳の日付は、この項目には入力できません。",
                    field=field,
                    code="calendar_date_required",
                )
            return _read_uncertain(reader, kind, match)

    reader.fail_format()


def parse_exact_date(value: str, **kw) -> datetime.date:
    """A real calendar date or a RuleViolation: for items that must be exact (standard-spec §2.4)."""
    return parse_date(value, allow_uncertain=False, **kw).date


def _read_exact(reader: _Reader, match: re.Match, *, allow_noncalendar: bool) -> ParsedDate:
    year = reader.year(match.group("era") if "era" in match.re.groupindex else None, match["year"])
    internal, noncalendar = reader.day(
        year, int(match["month"]), int(match["day"]), allow_noncalendar=allow_noncalendar
    )
    if noncalendar:
        return ParsedDate(internal, f"{year.text}{match['month']}月{match['day']}日")
    return ParsedDate(internal, None)


def _read_uncertain(reader: _Reader, kind: str, match: re.Match) -> ParsedDate:
    """Internal date = first day of the period; text = canonical literal (standard-spec §2.4)."""
    if kind == "all_unknown":
        return ParsedDate(None, "年月日不詳")

    year = reader.year(match["era"], match["year"])
    y = year.western

    if kind in ("year_circa", "month_day_unknown"):
        text = f"{year.text}頃" if kind == "year_circa" else f"{year.text} 月日不詳"
        start = reader.period_start(year, datetime.date(y, 1, 1), datetime.date(y, 12, 31), text)
        return ParsedDate(start, text)

    if kind == "season":
        season = match["season"]
        first_month, last_month = _SEASONS[season]
        text = f"{year.text}{season}"
        first = datetime.date(y, first_month, 1)
        last = datetime.date(y, last_month, calendar.monthrange(y, last_month)[1])
        return ParsedDate(reader.period_start(year, first, last, text), text)

    month = reader.month(year, match["month"])
    month_text = f"{year.text}{match['month']}月"
    month_first = datetime.date(y, month, 1)
    month_last = datetime.date(y, month, calendar.monthrange(y, month)[1])

    if kind in ("month_circa", "estimated_month", "day_unknown"):
        text = {
            "month_circa": f"{month_text}頃",
            "estimated_month": f"推定{month_text}",
            "day_unknown": f"{month_text} 日不詳",
        }[kind]
        return ParsedDate(reader.period_start(year, month_first, month_last, text), text)

    if kind == "part_of_month":
        part = match["part"]
        first_day, last_day = _PARTS_OF_MONTH[part]
        text = f"{month_text}{part}{match['circa'] or ''}"
        first = month_first.replace(day=first_day)
        last = month_last if last_day is None else month_first.replace(day=last_day)
        return ParsedDate(reader.period_start(year, first, last, text), text)

    start, _ = reader.day(year, month, int(match["day"]), allow_noncalendar=True)

    if kind in ("day_circa", "estimated_day"):
        day_text = f"{month_text}{match['day']}日"
        text = f"{day_text}頃" if kind == "day_circa" else f"推定{day_text}"
        return ParsedDate(start, text)

    # The three "…までの間" forms: a start day and an end day in the same year.
    if kind == "between_days":
        end_month = reader.month(year, match["month2"])
        text = f"{month_text}{match['day']}日から{match['month2']}月{match['day2']}日頃までの間"
    elif kind == "estimated_between":
        end_month = month
        text = f"{month_text}推定{match['day']}日から{match['day2']}日までの間"
    else:  # circa_between
        end_month = month
        text = f"{month_text}{match['day']}日頃から{match['day2']}日頃までの間"
    end, _ = reader.day(year, end_month, int(match["day2"]), allow_noncalendar=True)
    if end < start:
        reader.fail(
            f"{reader.label}の期間（{text}）の終わりが始まりより前になっています。", "invalid_date"
        )
    return ParsedDate(start, text)
