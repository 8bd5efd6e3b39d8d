"""The 業務ID list of the common-function standard (共通機能 §2.2; docs/decisions: common-functions.md §3.1): one
3-digit code per standard business system. It names who registered a 住登外者 and who may refer to one (住登外者
参照業務), and — with the linkage issue — the `${業務システムID}` of an OAuth scope.

The list was read off the standard-conformant package list and a vendor's list (common-functions.md §3.1, tagged
[F2]/[I]): the codes are fixed here, in one place, and every other module asks this one.
"""

from __future__ import annotations

from jumin.core.errors import RuleViolation

BUSINESSES: tuple[tuple[str, str], ...] = (
    ("001", "住民基本台帳"), ("002", "印鑑登録"), ("003", "戸籍"), ("004", "戸籍の附票"), ("005", "選挙（共通）"),
    ("006", "選挙人名簿管理"), ("007", "期日前・不在者投票管理"), ("008", "当日投票管理"), ("009", "在外選挙管理"),
    ("010", "個人住民税"), ("011", "法人住民税"), ("012", "固定資産税"), ("013", "軽自動車税"), ("014", "収納管理"),
    ("015", "滞納管理"), ("016", "地方税（共通）"), ("017", "学齢簿編製"), ("018", "就学援助"), ("019", "健康管理"),
    ("020", "児童扶養手当"), ("021", "生活保護"), ("022", "障害者福祉"), ("023", "介護保険"), ("024", "国民健康保険"),
    ("025", "後期高齢者医療"), ("026", "国民年金"), ("027", "児童手当"), ("028", "子ども・子育て支援"),
    ("029", "申請管理"), ("030", "庁内データ連携"), ("031", "住登外宛名番号管理"), ("032", "団体内統合宛名管理"),
    ("033", "職員認証"), ("034", "EUC"), ("035", "レセプト管理（生保）"), ("036", "統合収納管理"),
    ("037", "統合滞納管理"), ("038", "人口動態調査"), ("039", "火葬等許可"),
)
NAMES = dict(BUSINESSES)


def business_name(code: str) -> str:
    return NAMES.get(code, code)


def validate_business(value, *, field: str, label: str = "業務") -> str:
    """A 業務ID from the list, or a refusal that names the field."""
    code = value.strip() if isinstance(value, str) else ""
    if code not in NAMES:
        raise RuleViolation(f"{label}の業務ID「{str(value)[:10]}」はありません。業務IDは3桁の番号です（例: 010 個人住民税、"
                            "012 固定資産税、024 国民健康保険）。", field=field, code="unknown_business")
    return code


# 番号利用事務: the 業務 that may receive the 個人番号 (行政手続における特定の個人を識別するための番号の利用等に関する
# 法律 第9条・別表: 地方税, 国民健康保険, 後期高齢者医療, 介護保険, 国民年金, 生活保護, 児童手当, 児童扶養手当, 障害者福祉,
# 予防接種等の健康管理, 子ども・子育て支援, 就学援助, and the common functions that link them). Read off the 別表's
# headings [I] — the table of one place every linkage and export asks (issue #18 item 2).
NUMBER_USE: frozenset[str] = frozenset({
    "001", "010", "011", "012", "013", "014", "015", "016", "018", "019", "020", "021", "022", "023", "024", "025",
    "026", "027", "028", "031", "032", "035", "036", "037",
})


def may_receive_individual_number(code: str) -> bool:
    return code in NUMBER_USE
