"""Statistics endpoints (住民記録 §10.1). Parsing only: the right (VIEW_STATISTICS), the refusals and the
operation log are in `stats.queries`; the answers are the screen's tables (`stats.document`)."""

from ninja import Query, Router

from jumin.core.errors import RuleViolation
from jumin.core.http import actor_for
from jumin.register.schemas import Exact, In, Text
from jumin.stats import document, queries

router = Router()
TAGS = ["統計"]


class PopulationQuery(In):
    as_of: Text(30) | None = None
    by: Text(20) = "age5"


class MonthlyQuery(In):
    month: Text(30) | None = None
    as_of: Text(30) | None = None


class PopulationRowOut(Exact):
    """One row: an age band, a 行政区, a 町丁, a 世帯人員 or 日本人/外国人 (an item that does not apply is null)."""

    key: str
    label: str
    ward: str | None
    male: int | None
    female: int | None
    total: int | None
    households: int | None
    japanese: int | None
    foreign: int | None


class PopulationOut(Exact):
    """住民基本台帳人口 as of a day by one breakdown (stats/document.population_answer). Counts only: no name,
    no 宛名番号."""

    as_of: str
    as_of_display: str
    by: str
    by_label: str
    total: int
    households: int
    rows: list[PopulationRowOut]


class ReportRowOut(Exact):
    """One row of the 住基月報: 計, 日本人, 外国人 or a 行政区 (区間転入・区間転出 only on 行政区 rows)."""

    key: str
    label: str
    before: int
    transfer_in: int
    birth: int
    other_in: int
    ward_in: int | None
    gains: int
    transfer_out: int
    death: int
    other_out: int
    ward_out: int | None
    losses: int
    balance: int
    after: int
    relocation: int
    balances: bool


class ReasonOut(Exact):
    code: str
    label: str
    persons: int


class KindOut(Exact):
    code: str
    label: str
    changes: int


class MonthlyOut(Exact):
    """The 住基月報 of one month (stats/document.report_answer): 前月末 + 増 − 減 = 当月末 per row (`balances`)."""

    month: str
    month_display: str
    first: str
    through: str
    balances: bool
    households_before: int
    households_after: int
    rows: list[ReportRowOut]
    reasons: list[ReasonOut]
    kinds: list[KindOut]


@router.get("statistics/population", tags=TAGS, response=PopulationOut,
            summary="住民基本台帳人口（基準日・区分: age5|age1|ward|town|household_size|resident_type）")
def population(request, q: Query[PopulationQuery]):
    actor = actor_for(request)
    day = queries.read_day(q.as_of, actor=actor)
    if q.by not in document.BY:
        queries.refuse_input(actor, RuleViolation(
            "区分（by）は " + "・".join(f"{k}（{v}）" for k, v in document.BY.items()) + " のいずれかです。",
            field="by"))
    return document.population_answer(queries.population(day, actor=actor, output=f"api:{q.by}"), q.by)


@router.get("statistics/monthly", tags=TAGS, response=MonthlyOut,
            summary="住基月報（対象月の異動件数と前月末・当月末人口）")
def monthly(request, q: Query[MonthlyQuery]):
    actor = actor_for(request)
    day = queries.read_day(q.as_of, actor=actor)
    month = queries.read_month(q.month, day=day, actor=actor)
    return document.report_answer(queries.monthly_report(month, actor=actor, output="api"))
