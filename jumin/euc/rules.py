"""The EUC query, checked (pure: no Django). 住民記録 §10.1 / 共通機能 §2.5: staff "without special knowledge" build
lists from the dictionary's items; the standard's drafting committee dropped raw SQL, so the query is *data*
(platform.md §6) that these rules check and `compiler.py` turns into a query on the dictionary's columns only.

Two steps: `parse_query` checks the shape (known keys only, at most 3 levels of groups and 50 conditions, dates in
和暦 or 西暦 through jumin.core.wareki, parameters filled in), then `check_items` resolves item names (code name or
Japanese name) against the items the role may extract and checks each condition against its item: the operator
suits the type, values have the type, code values exist in the item's code table, ranges are not upside down.
Every refusal is a RuleViolation with a Japanese message naming the offending key (`field`: its path).
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from jumin.core.errors import PermissionDenied, RuleViolation
from jumin.core.wareki import parse_exact_date

RESIDENTS = "residents"
RESIDENTS_AS_OF = "residents_as_of"
CHANGES = "changes"
ISSUANCES = "issuances"
SEALS = "seals"
DATASET_NAMES = {
    RESIDENTS: "住民（現在）", RESIDENTS_AS_OF: "住民（基準日時点）", CHANGES: "異動（期間内・本登録）",
    ISSUANCES: "証明書の交付履歴", SEALS: "印鑑登録",
}
NEEDS = {RESIDENTS: (), RESIDENTS_AS_OF: ("as_of",), CHANGES: ("period",), ISSUANCES: ("period",), SEALS: ()}
REMOVED_ALLOWED = (RESIDENTS, RESIDENTS_AS_OF)

OUTPUTS = {
    "csv": "CSV（UTF-8・BOM付き）", "csv_sjis": "CSV（Shift_JIS・置き換えた文字の一覧つき）", "xlsx": "Excel（XLSX）",
    "pdf_list": "PDF（一覧表）", "pdf_labels": "PDF（宛名ラベル）",
}

TOP_KEYS = ("dataset", "as_of", "include_removed", "period", "items", "where", "sort", "count_by", "params",
            "include_protected", "include_individual_number")
KEY_LABELS = {
    "dataset": "データセット", "as_of": "基準日", "include_removed": "除票を含める", "period": "期間", "items": "出力項目",
    "where": "条件", "sort": "並び順", "count_by": "集計項目", "params": "パラメータ",
    "include_protected": "支援措置対象者を含める", "include_individual_number": "個人番号を含める",
}

MAX_DEPTH = 3
MAX_CONDITIONS = 50
MAX_ITEMS = 200
MAX_SORT = 10
MAX_COUNT_BY = 4
MAX_LIST = 1000
MAX_TEXT = 200
MAX_PARAMS = 20

OP_LABELS = {
    "eq": "等しい", "ne": "等しくない", "in": "いずれかに等しい", "between": "範囲（以上・以下）", "gte": "以上",
    "lte": "以下", "starts_with": "で始まる", "blank": "空欄", "not_blank": "空欄でない",
}
NO_VALUE = ("blank", "not_blank")

# Operators per item type (a code-table item compares codes only: "starts with" a code means nothing).
OPS_BY_TYPE = {
    "string": ("eq", "ne", "in", "starts_with", "blank", "not_blank"),
    "code": ("eq", "ne", "in", "blank", "not_blank"),
    "integer": ("eq", "ne", "in", "between", "gte", "lte", "blank", "not_blank"),
    "number": ("eq", "ne", "between", "gte", "lte", "blank", "not_blank"),
    "date": ("eq", "ne", "between", "gte", "lte", "blank", "not_blank"),
    "datetime": ("between", "gte", "lte", "blank", "not_blank"),
    "boolean": ("eq",),
    "json": (),
    "binary": (),
}
TYPE_LABELS = {"string": "文字", "code": "コード", "integer": "整数", "number": "数値", "date": "日付",
               "datetime": "日時", "boolean": "はい・いいえ", "json": "JSON", "binary": "バイナリ"}


@dataclass(frozen=True)
class ItemInfo:
    """What the rules need to know of one item (from the dictionary, or a derived item: age, ward, town)."""

    name: str
    ja: str
    type: str
    codes: tuple[tuple[str, str], ...] = ()
    derived: bool = False

    @property
    def kind(self) -> str:
        return "code" if self.codes and self.type == "string" else self.type

    @property
    def operators(self) -> tuple[str, ...]:
        return OPS_BY_TYPE.get(self.kind, ())

    @property
    def sortable(self) -> bool:
        return self.type not in ("json", "binary")


@dataclass(frozen=True)
class Condition:
    item: str
    op: str
    value: object = None
    path: str = ""


@dataclass(frozen=True)
class Group:
    mode: str                       # "all" (AND) or "any" (OR)
    parts: tuple = ()
    path: str = ""


@dataclass(frozen=True)
class Query:
    dataset: str
    as_of: datetime.date | None = None
    include_removed: bool = False
    period: tuple[datetime.date, datetime.date] | None = None
    items: tuple[str, ...] = ()
    where: Group | None = None
    sort: tuple[tuple[str, bool], ...] = ()
    count_by: tuple[str, ...] = ()
    include_protected: bool = False
    include_individual_number: bool = False
    params: dict = field(default_factory=dict)

    @property
    def counting(self) -> bool:
        return bool(self.count_by)

    def conditions(self) -> list[Condition]:
        out, stack = [], [self.where] if self.where else []
        while stack:
            group = stack.pop()
            for part in group.parts:
                (stack.append(part) if isinstance(part, Group) else out.append(part))
        return out

    def as_dict(self) -> dict:
        """The query as it was understood (dates in ISO, parameters filled in): what the log keeps."""
        def node(n):
            if isinstance(n, Group):
                return {n.mode: [node(p) for p in n.parts]}
            out = {"item": n.item, "op": n.op}
            if n.op not in NO_VALUE:
                out["value"] = _json_value(n.value)
            return out

        out = {"dataset": self.dataset, "items": list(self.items)}
        if self.as_of:
            out["as_of"] = self.as_of.isoformat()
        if self.dataset in REMOVED_ALLOWED:
            out["include_removed"] = self.include_removed
        if self.period:
            out["period"] = {"from": self.period[0].isoformat(), "to": self.period[1].isoformat()}
        if self.where:
            out["where"] = node(self.where)
        if self.sort:
            out["sort"] = [{"item": name, "desc": desc} for name, desc in self.sort]
        if self.count_by:
            out["count_by"] = list(self.count_by)
        if self.params:
            out["params"] = {k: _json_value(v) for k, v in self.params.items()}
        out["include_protected"] = self.include_protected
        out["include_individual_number"] = self.include_individual_number
        return out


def _json_value(value):
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [_json_value(v) for v in value]
    return value


def _fail(message: str, path: str, code: str = "invalid"):
    raise RuleViolation(message, field=path or None, code=code)


def _unknown_keys(value: dict, allowed, path: str) -> None:
    for key in value:
        if key not in allowed:
            shown = str(key)[:50]
            _fail(f"「{shown}」という指定はありません（{path or '問い合わせ'}）。使えるのは {'、'.join(allowed)} です。",
                  f"{path}.{shown}" if path else shown, "unknown_key")


def _flag(raw: dict, key: str) -> bool:
    value = raw.get(key, False)
    if value is None:
        return False
    if not isinstance(value, bool):
        _fail(f"{KEY_LABELS[key]}（{key}）は true か false で指定してください。", key)
    return value


def _text(value, path: str, label: str, *, limit: int = MAX_TEXT) -> str:
    if not isinstance(value, str):
        _fail(f"{label}は文字列で指定してください。", path)
    if len(value) > limit:
        _fail(f"{label}は{limit}文字以内で指定してください。", path, "too_long")
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in value):
        _fail(f"{label}に制御文字は使えません。", path, "control_character")
    return value


def parse_day(value, path: str, label: str) -> datetime.date:
    """A day as the clerk types it: 和暦 (R8.4.1, 令和8年4月1日) or 西暦 (2026-04-01). 令和0年 and 2026-02-30 are
    refused by jumin.core.wareki with its own message."""
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return value
    if not isinstance(value, str):
        _fail(f"{label}は日付（例: R8.4.1、2026-04-01）で指定してください。", path)
    return parse_exact_date(value, field=path, label=label)


def _params(raw) -> dict:
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        _fail("パラメータ（params）は名前と値の組（オブジェクト）で指定してください。", "params")
    if len(raw) > MAX_PARAMS:
        _fail(f"パラメータは{MAX_PARAMS}個までです。", "params", "too_many")
    out = {}
    for name, value in raw.items():
        _text(name, "params", "パラメータの名前", limit=50)
        if isinstance(value, list):
            if len(value) > MAX_LIST:
                _fail(f"パラメータ「{name}」の値は{MAX_LIST}個までです。", f"params.{name}", "too_many")
            for v in value:
                if not isinstance(v, (str, int, float)) or isinstance(v, bool):
                    _fail(f"パラメータ「{name}」の値は文字か数の一覧で指定してください。", f"params.{name}")
        elif not isinstance(value, (str, int, float, bool)):
            _fail(f"パラメータ「{name}」の値は文字・数・true/false で指定してください。", f"params.{name}")
        if isinstance(value, str):
            _text(value, f"params.{name}", f"パラメータ「{name}」の値")
        out[name] = value
    return out


def _fill(value, params: dict, path: str):
    """A `{"param": "基準日"}` value replaced by the parameter's value (a saved query re-run with parameters)."""
    if isinstance(value, dict):
        _unknown_keys(value, ("param",), path)
        name = value.get("param")
        if not isinstance(name, str) or not name:
            _fail("パラメータは {\"param\": \"名前\"} の形で指定してください。", path)
        if name not in params:
            _fail(f"パラメータ「{name[:50]}」の値が指定されていません（params に指定してください）。", path, "missing_param")
        return params[name]
    return value


def _node(raw, params: dict, path: str, depth: int, counter: list) -> Group | Condition:
    if not isinstance(raw, dict):
        _fail("条件は {\"item\": …, \"op\": …, \"value\": …} か、グループ {\"all\": […]} / {\"any\": […]} で指定してください。",
              path)
    if "all" in raw or "any" in raw:
        return _group(raw, params, path, depth + 1, counter)
    _unknown_keys(raw, ("item", "op", "value"), path)
    counter[0] += 1
    if counter[0] > MAX_CONDITIONS:
        _fail(f"条件は{MAX_CONDITIONS}個までです。", path, "too_many")
    item = _text(raw.get("item"), f"{path}.item", "条件の項目", limit=100) if raw.get("item") is not None else \
        _fail("条件の項目（item）を指定してください。", f"{path}.item", "required")
    op = raw.get("op")
    if op not in OP_LABELS:
        _fail(f"条件の比べ方（op）は {'、'.join(f'{k}（{v}）' for k, v in OP_LABELS.items())} のいずれかです。",
              f"{path}.op")
    if op in NO_VALUE:
        if raw.get("value") not in (None, "", []):
            _fail(f"「{OP_LABELS[op]}」の条件に値は指定できません。", f"{path}.value")
        return Condition(item, op, None, path)
    if "value" not in raw:
        _fail(f"条件「{item}」の値（value）を指定してください。", f"{path}.value", "required")
    return Condition(item, op, _fill(raw["value"], params, f"{path}.value"), path)


def _group(raw: dict, params: dict, path: str, depth: int, counter: list) -> Group:
    if depth > MAX_DEPTH:
        _fail(f"条件のグループの入れ子は{MAX_DEPTH}段までです。", path, "too_deep")
    _unknown_keys(raw, ("all", "any"), path)
    if len(raw) != 1:
        _fail("グループは「all」（すべて満たす）か「any」（いずれかを満たす）の一方だけで指定してください。", path)
    mode = next(iter(raw))
    parts = raw[mode]
    if not isinstance(parts, list) or not parts:
        _fail("グループには条件を1つ以上、一覧（配列）で指定してください。", f"{path}.{mode}")
    if len(parts) > MAX_CONDITIONS:
        _fail(f"条件は{MAX_CONDITIONS}個までです。", f"{path}.{mode}", "too_many")
    return Group(mode, tuple(_node(p, params, f"{path}.{mode}[{i}]", depth, counter) for i, p in enumerate(parts)),
                 path)


def _names(raw, key: str, limit: int) -> list[str]:
    if raw is None:
        return []
    if not isinstance(raw, list):
        _fail(f"{KEY_LABELS[key]}（{key}）は項目名の一覧（配列）で指定してください。", key)
    if len(raw) > limit:
        _fail(f"{KEY_LABELS[key]}は{limit}個までです。", key, "too_many")
    return [_text(v, f"{key}[{i}]", KEY_LABELS[key], limit=100) for i, v in enumerate(raw)]


def parse_query(raw) -> Query:
    """The query's shape, checked; item names are resolved by `check_items`."""
    if not isinstance(raw, dict):
        _fail("問い合わせ（query）はオブジェクトで指定してください。", "query")
    _unknown_keys(raw, TOP_KEYS, "")
    dataset = raw.get("dataset")
    if dataset not in DATASET_NAMES:
        shown = str(dataset)[:50] if dataset is not None else ""
        _fail(f"「{shown}」というデータセットはありません。{'、'.join(f'{k}（{v}）' for k, v in DATASET_NAMES.items())}"
              " のいずれかを指定してください。", "dataset", "unknown_dataset")
    params = _params(raw.get("params"))
    as_of = raw.get("as_of")
    as_of = parse_day(_fill(as_of, params, "as_of"), "as_of", "基準日") if as_of not in (None, "") else None
    if "as_of" in NEEDS[dataset] and as_of is None:
        _fail("このデータセットには基準日（as_of）を指定してください。", "as_of", "required")
    include_removed = _flag(raw, "include_removed")
    if include_removed and dataset not in REMOVED_ALLOWED:
        _fail("除票を含める指定は、住民のデータセットだけに使えます。", "include_removed")
    period = None
    if raw.get("period") is not None:
        value = raw["period"]
        if not isinstance(value, dict):
            _fail("期間（period）は {\"from\": …, \"to\": …} で指定してください。", "period")
        _unknown_keys(value, ("from", "to"), "period")
        for end in ("from", "to"):
            if value.get(end) in (None, ""):
                _fail(f"期間の{'開始日' if end == 'from' else '終了日'}（period.{end}）を指定してください。", f"period.{end}",
                      "required")
        start = parse_day(_fill(value["from"], params, "period.from"), "period.from", "期間の開始日")
        end = parse_day(_fill(value["to"], params, "period.to"), "period.to", "期間の終了日")
        if start > end:
            _fail("期間の開始日が終了日より後になっています。", "period", "upside_down")
        period = (start, end)
    if "period" in NEEDS[dataset] and period is None:
        _fail("このデータセットには期間（period: from と to）を指定してください。", "period", "required")
    if period is not None and "period" not in NEEDS[dataset]:
        _fail("期間（period）は異動・交付履歴のデータセットだけに指定できます。", "period")
    items = list(dict.fromkeys(_names(raw.get("items"), "items", MAX_ITEMS)))
    count_by = list(dict.fromkeys(_names(raw.get("count_by"), "count_by", MAX_COUNT_BY)))
    if not items and not count_by:
        _fail("出力項目（items）か集計項目（count_by）を1つ以上指定してください。", "items", "required")
    where = None
    if raw.get("where") is not None:
        if not isinstance(raw["where"], dict) or not ("all" in raw["where"] or "any" in raw["where"]):
            _fail("条件（where）はグループ {\"all\": […]} か {\"any\": […]} で指定してください。", "where")
        where = _group(raw["where"], params, "where", 1, [0])
    sort = []
    raw_sort = raw.get("sort")
    if raw_sort is not None:
        if not isinstance(raw_sort, list):
            _fail("並び順（sort）は {\"item\": …, \"desc\": true/false} の一覧で指定してください。", "sort")
        if len(raw_sort) > MAX_SORT:
            _fail(f"並び順は{MAX_SORT}項目までです。", "sort", "too_many")
        for i, entry in enumerate(raw_sort):
            path = f"sort[{i}]"
            if not isinstance(entry, dict):
                _fail("並び順は {\"item\": …, \"desc\": true/false} で指定してください。", path)
            _unknown_keys(entry, ("item", "desc"), path)
            name = _text(entry.get("item"), f"{path}.item", "並び順の項目", limit=100)
            desc = entry.get("desc", False)
            if not isinstance(desc, bool):
                _fail("並び順の desc は true（降順）か false（昇順）で指定してください。", f"{path}.desc")
            sort.append((name, desc))
    return Query(dataset=dataset, as_of=as_of, include_removed=include_removed, period=period, items=tuple(items),
                 where=where, sort=tuple(sort), count_by=tuple(count_by), include_protected=_flag(raw, "include_protected"),
                 include_individual_number=_flag(raw, "include_individual_number"), params=params)


def check_output(output) -> str:
    if output not in OUTPUTS:
        shown = str(output)[:30] if output is not None else ""
        _fail(f"出力形式「{shown}」は選べません。{'、'.join(f'{k}（{v}）' for k, v in OUTPUTS.items())} のいずれかです。",
              "output", "unknown_output")
    return output


# ------------------------------------------------------------------ items and values

def _resolve(name: str, items: Mapping[str, ItemInfo], path: str, left_out: Mapping[str, tuple[str, str]]) -> ItemInfo:
    found = items.get(name)
    if found is not None:
        return found
    if name in left_out:
        reason, flag = left_out[name]
        if flag:   # the role has the right: the query did not ask for it
            _fail(f"項目「{name}」を使うには {flag} を true にしてください（{reason}）", path, "flag_required")
        raise PermissionDenied(f"項目「{name}」は使えません: {reason}", field=path, code="forbidden_item")
    _fail(f"項目「{name}」はこのデータセットにありません。項目名（コード名か日本語名）を確認してください。", path, "unknown_item")


def _code(value, info: ItemInfo, path: str) -> str:
    text = value if isinstance(value, str) else str(value) if isinstance(value, int) and not isinstance(value, bool) \
        else None
    if text is None:
        _fail(f"「{info.ja}」の値はコードか名称（文字）で指定してください。", path)
    for code, label in info.codes:
        if text == code:
            return code
    for code, label in info.codes:
        if text == label:
            return code
    listed = "、".join(f"{c}（{label}）" if label != c else c for c, label in info.codes[:30])
    more = "…" if len(info.codes) > 30 else ""
    _fail(f"「{info.ja}」に「{text[:50]}」という値はありません。使える値: {listed}{more}", path, "unknown_value")


def _scalar(value, info: ItemInfo, path: str):
    kind = info.kind
    if kind == "code":
        return _code(value, info, path)
    if kind == "string":
        return _text(value, path, f"「{info.ja}」の値")
    if kind == "integer":
        if isinstance(value, str) and value.strip().lstrip("-").isdigit():
            value = int(value.strip())
        if not isinstance(value, int) or isinstance(value, bool):
            _fail(f"「{info.ja}」の値は整数で指定してください。", path)
        if abs(value) > 2**53:
            _fail(f"「{info.ja}」の値が大きすぎます。", path, "too_large")
        return value
    if kind == "number":
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            _fail(f"「{info.ja}」の値は数で指定してください。", path)
        return value
    if kind in ("date", "datetime"):
        return parse_day(value, path, f"「{info.ja}」の値")
    if kind == "boolean":
        if value in ("true", "false"):
            value = value == "true"
        if not isinstance(value, bool):
            _fail(f"「{info.ja}」の値は true（はい）か false（いいえ）で指定してください。", path)
        return value
    _fail(f"「{info.ja}」（{TYPE_LABELS.get(kind, kind)}）は条件に使えません。", path)


def _value(condition: Condition, info: ItemInfo):
    path = f"{condition.path}.value"
    value = condition.value
    if condition.op in NO_VALUE:
        return None
    if condition.op == "in":
        if not isinstance(value, list) or not value:
            _fail(f"「{OP_LABELS['in']}」の値は一覧（配列）で1つ以上指定してください。", path)
        if len(value) > MAX_LIST:
            _fail(f"「{OP_LABELS['in']}」の値は{MAX_LIST}個までです。", path, "too_many")
        return [_scalar(v, info, f"{path}[{i}]") for i, v in enumerate(value)]
    if condition.op == "between":
        if not isinstance(value, list) or len(value) != 2:
            _fail("範囲（between）の値は [下限, 上限] の2つで指定してください。", path)
        low, high = _scalar(value[0], info, f"{path}[0]"), _scalar(value[1], info, f"{path}[1]")
        if low > high:
            _fail(f"「{info.ja}」の範囲の下限（{_json_value(low)}）が上限（{_json_value(high)}）より大きくなっています。",
                  path, "upside_down")
        return [low, high]
    if isinstance(value, list):
        _fail(f"「{OP_LABELS[condition.op]}」の値は1つだけ指定してください（複数なら in を使います）。", path)
    return _scalar(value, info, path)


def check_items(query: Query, items: Mapping[str, ItemInfo],
                left_out: Mapping[str, tuple[str, str | None]] | None = None) -> Query:
    """Resolve every item name (code or Japanese) to its code name and check each condition's operator and
    values against its item. `items` maps both names of every item the role may use; `left_out` maps the names
    of items it may not use to (the reason, the query flag that would allow it or None) — so the refusal says why:
    PermissionDenied when the role lacks the right, a RuleViolation naming the flag when only the flag is missing."""
    left_out = left_out or {}

    def name_of(name: str, path: str) -> ItemInfo:
        return _resolve(name, items, path, left_out)

    def node(n):
        if isinstance(n, Group):
            return replace(n, parts=tuple(node(p) for p in n.parts))
        info = name_of(n.item, f"{n.path}.item")
        if n.op not in info.operators:
            allowed = "、".join(f"{op}（{OP_LABELS[op]}）" for op in info.operators) or "なし"
            _fail(f"「{info.ja}」（{TYPE_LABELS.get(info.kind, info.kind)}）に「{n.op}」の条件は使えません。使える比べ方: {allowed}",
                  f"{n.path}.op")
        return replace(n, item=info.name, value=_value(n, info))

    resolved = [name_of(name, f"items[{i}]").name for i, name in enumerate(query.items)]
    count_by = []
    for i, name in enumerate(query.count_by):
        info = name_of(name, f"count_by[{i}]")
        if not info.sortable:
            _fail(f"「{info.ja}」では集計できません。", f"count_by[{i}]")
        count_by.append(info.name)
    sort = []
    for i, (name, desc) in enumerate(query.sort):
        info = name_of(name, f"sort[{i}].item")
        if not info.sortable:
            _fail(f"「{info.ja}」では並べ替えできません。", f"sort[{i}].item")
        if count_by and info.name not in count_by:
            _fail(f"集計するときの並び順は集計項目（{'、'.join(count_by)}）から選んでください。", f"sort[{i}].item")
        sort.append((info.name, desc))
    return replace(query, items=tuple(dict.fromkeys(resolved)), count_by=tuple(dict.fromkeys(count_by)),
                   sort=tuple(sort), where=node(query.where) if query.where else None)


# ------------------------------------------------------------------ age arithmetic (pure)

def years_before(day: datetime.date, years: int) -> datetime.date:
    """The same month and day `years` earlier (2月29日 → 2月28日 when that year has none). Whoever was born on or
    before it is at least `years` old on `day`: by 年齢計算ニ関スル法律 and 民法第143条 a year of age is complete at the
    end of the day before the birthday, so one is the new age on the birthday itself — and someone born on 2月29日
    is, in a common year, the new age on 3月1日 (the year completes at the end of 2月28日)."""
    year = day.year - years
    try:
        return day.replace(year=year)
    except ValueError:
        return datetime.date(year, 2, 28)


def birth_range(day: datetime.date, low: int | None, high: int | None) -> tuple[datetime.date | None, datetime.date | None]:
    """(born after, born on or before) for an age from `low` to `high` (inclusive) on `day`: the condition on age
    becomes a range on 生年月日 that the database answers with its index (no age computed row by row)."""
    latest = years_before(day, low) if low is not None else None
    earliest_exclusive = years_before(day, high + 1) if high is not None else None
    return earliest_exclusive, latest


def age_on(birth: datetime.date | None, day: datetime.date) -> int | None:
    """The age on `day`, by the same rule (the compiler computes the same in SQL for the age column)."""
    if birth is None:
        return None
    return day.year - birth.year - (1 if (birth.month, birth.day) > (day.month, day.day) else 0)


def approval_reason(rows: int, threshold: int, individual_number: bool) -> str:
    """Why an output needs an approver before it may be downloaded ("" when it does not)."""
    reasons = []
    if individual_number:
        reasons.append("個人番号を含むため")
    if rows > threshold:
        reasons.append(f"件数（{rows:,}件）が承認の基準（{threshold:,}件）を超えるため")
    return "、".join(reasons)
