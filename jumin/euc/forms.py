"""The EUC wizard's forms: one step's posted fields ↔ the query JSON of the EUC engine (共通機能 §2.5 EUC,
住民記録 §10.1: a list "staff without special knowledge can make each time they need it"; no SQL anywhere —
the wizard only ever produces the engine's query data).

The wizard's state *is* the query (platform §6), carried between steps in one hidden field; each step's form
reads its own fields into it, so the wizard works step by step without JavaScript. Nothing here decides what
is allowed: the engine validates the whole query (its Japanese refusals are put back beside the field they
name). Pure: no database, no request — a `QueryDict`-like mapping in, dicts out.
"""

from __future__ import annotations

import copy
import json
import re
import unicodedata

from jumin.euc import rules

STEPS = [("dataset", "データの種類"), ("items", "項目"), ("where", "条件"), ("sort", "並び順・集計"),
         ("preview", "プレビュー"), ("output", "出力")]
STEP_NAMES = [code for code, _ in STEPS]

# The query's own keys (platform §6). The hidden field is ours: anything else in it is dropped, not sent.
QUERY_KEYS = ("dataset", "as_of", "include_removed", "period", "items", "where", "sort", "count_by", "params",
              "include_protected", "include_individual_number")
STATE_MAX_CHARS = 60_000          # the hidden field: a query of 50 conditions is well under 20,000 characters
VALUE_MAX_CHARS = 200             # one typed value (the engine bounds them too)
NAME_MAX_CHARS = 50               # a parameter's or a saved query's name

# The six kinds of data the issue names, as the wizard offers them. "residents_removed" is not a dataset of
# its own: it is 住民 with include_removed, offered as a choice because that is how a clerk thinks of it.
REMOVED_CHOICE = "residents_removed"
DATASET_LABELS = {
    "residents": ("住民（現在）", "いま住民である方（除票は含みません）"),
    REMOVED_CHOICE: ("住民（除票を含む）", "転出・死亡などで消除された方（除票）も含みます"),
    "residents_as_of": ("基準日時点の住民", "基準日に住民であった方（過去の日付を指定できます）"),
    "changes": ("異動（期間）", "期間内の異動日の異動（本登録・取消のもの）"),
    "issuances": ("交付履歴", "期間内に交付した証明書"),
    "seals": ("印鑑登録", "印鑑登録の原票"),
}

# Operators of platform §6, in the words of the screen.
OPS = {"eq": "等しい", "ne": "等しくない", "in": "いずれか", "between": "範囲", "gte": "以上", "lte": "以下",
       "starts_with": "で始まる", "blank": "空欄", "not_blank": "空欄でない"}
NO_VALUE_OPS = rules.NO_VALUE
MAX_DEPTH = 3                     # groups nest at most 3 deep (platform §6)
MAX_CONDITIONS = 50
SORT_ROWS = 3
COUNT_BY_MAX = 2
MODES = {"all": "すべて満たす（AND）", "any": "いずれかを満たす（OR）"}
ORDERS = [("asc", "昇順（小さい順・古い順）"), ("desc", "降順（大きい順・新しい順）")]
AS_OF_PARAM = "基準日"

_LIST_SPLIT = re.compile(r"[,、，\s]+")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def clean(raw, limit: int = VALUE_MAX_CHARS) -> str:
    """A typed value: control characters dropped, trimmed, bounded."""
    return _CONTROL.sub("", str(raw or "")).strip()[:limit]


# ------------------------------------------------------------------ the catalogue the engine offers

class Catalogue:
    """`jumin.euc.catalogue.datasets(user)` indexed: only what this user may extract."""

    def __init__(self, datasets: list[dict]):
        self.datasets = list(datasets)
        self.by_code = {d["code"]: d for d in self.datasets}

    def dataset(self, code) -> dict | None:
        return self.by_code.get(code)

    def items(self, code) -> list[dict]:
        return list((self.dataset(code) or {}).get("items", []))

    def item(self, code, name) -> dict | None:
        for item in self.items(code):
            if item["name"] == name or item.get("ja") == name:
                return item
        return None

    def needs(self, code) -> list[str]:
        return list((self.dataset(code) or {}).get("needs", []))

    def choices(self) -> list[dict]:
        """The first step's radio buttons: each dataset the user may extract, and 除票を含む beside 住民."""
        out = []
        for d in self.datasets:
            label, help_text = DATASET_LABELS.get(d["code"], (d.get("ja") or d["code"], d.get("description", "")))
            out.append({"value": d["code"], "label": label, "help": help_text, "needs": self.needs(d["code"])})
            if d["code"] == "residents":
                label, help_text = DATASET_LABELS[REMOVED_CHOICE]
                out.append({"value": REMOVED_CHOICE, "label": label, "help": help_text, "needs": []})
        return out


def choice_of(state: dict) -> str:
    if state.get("dataset") == "residents" and state.get("include_removed"):
        return REMOVED_CHOICE
    return state.get("dataset") or ""


# ------------------------------------------------------------------ the hidden state

def load_state(raw) -> dict:
    """The hidden field back into a query dict; anything that is not one (tampered, cut) is a fresh query."""
    text = str(raw or "")
    if not text or len(text) > STATE_MAX_CHARS:
        return {}
    try:
        data = json.loads(text)
    except ValueError:
        return {}
    if not isinstance(data, dict):
        return {}
    return {k: v for k, v in data.items() if k in QUERY_KEYS}


def dump_state(state: dict) -> str:
    return json.dumps(state, ensure_ascii=False, separators=(",", ":"))


def engine_query(state: dict) -> dict:
    """The query as the engine takes it: empty groups and rows with no item left out, empty lists omitted,
    parameters nobody refers to dropped. Everything else goes as it is, for the engine to judge."""
    query = copy.deepcopy({k: v for k, v in state.items() if k in QUERY_KEYS})
    where = _pruned(query.pop("where", None))
    if where:
        query["where"] = where
    for key in ("sort", "count_by"):
        if key in query and not query[key]:
            query.pop(key)
    if query.get("count_by"):
        query.pop("items", None)              # a count ignores the items (platform §6): do not send them
    for key in ("include_removed", "include_protected", "include_individual_number"):
        if key in query and not query[key]:
            query.pop(key)
    used = referenced_params(query)
    params = {k: v for k, v in (query.pop("params", None) or {}).items() if k in used}
    if params:
        query["params"] = params
    return query


def _pruned(node):
    """A group without its empty subgroups and unfinished rows; None when nothing is left."""
    if not isinstance(node, dict):
        return None
    mode = "any" if "any" in node else "all"
    children = node.get(mode)
    if not isinstance(children, list):
        return None
    kept = []
    for child in children:
        if isinstance(child, dict) and ("all" in child or "any" in child):
            sub = _pruned(child)
            if sub:
                kept.append(sub)
        elif isinstance(child, dict) and child.get("item"):
            kept.append(child)
    return {mode: kept} if kept else None


def _walk_values(node):
    if isinstance(node, dict):
        if "param" in node and len(node) == 1:
            yield node["param"]
        for v in node.values():
            yield from _walk_values(v)
    elif isinstance(node, list):
        for v in node:
            yield from _walk_values(v)


def referenced_params(query: dict) -> set[str]:
    """The parameter names the query asks for ({"param": name} in as_of or in a condition's value)."""
    return {name for name in _walk_values({"as_of": query.get("as_of"), "where": query.get("where")})
            if isinstance(name, str)}


def param_value(state: dict, value):
    """What a value shows on the form: a parameter's current value, or the value itself."""
    if isinstance(value, dict) and "param" in value:
        return (state.get("params") or {}).get(value["param"], "")
    return value


def is_param(value) -> bool:
    return isinstance(value, dict) and set(value) == {"param"}


# ------------------------------------------------------------------ step 1: データの種類

def read_dataset(post, state: dict, cat: Catalogue) -> list[str]:
    """Step 1's fields into the state. Returns the Japanese names of the items, conditions and sort keys that
    the newly chosen dataset does not have (taken out, and said so on the screen)."""
    choice = clean(post.get("dataset"), 40)
    before = state.get("dataset")
    if choice == REMOVED_CHOICE:
        state["dataset"], state["include_removed"] = "residents", True
    elif choice:
        state["dataset"] = choice
        state["include_removed"] = choice == "residents_as_of" and post.get("include_removed") == "on"
    else:
        state.pop("dataset", None)
    params = dict(state.get("params") or {})
    as_of = clean(post.get("as_of"), 40)
    if as_of and post.get("as_of_param") == "on":
        state["as_of"], params[AS_OF_PARAM] = {"param": AS_OF_PARAM}, as_of
    elif as_of:
        state["as_of"] = as_of
    else:
        state.pop("as_of", None)
    state["params"] = params
    if "period" in cat.needs(state.get("dataset")):
        state["period"] = {"from": clean(post.get("period_from"), 40), "to": clean(post.get("period_to"), 40)}
    else:
        state.pop("period", None)
    prune_params(state)
    if before and before != state.get("dataset"):
        return keep_known_items(state, cat)
    return []


def keep_known_items(state: dict, cat: Catalogue) -> list[str]:
    """Take out what the state's dataset has no item for; the Japanese names of what was taken out."""
    code = state.get("dataset")
    known = {i["name"] for i in cat.items(code)}
    gone: list[str] = []

    def label(name):
        for d in cat.datasets:
            for i in d.get("items", []):
                if i["name"] == name:
                    return i["ja"]
        return str(name)

    items = state.get("items") or []
    gone += [label(n) for n in items if n not in known]
    state["items"] = [n for n in items if n in known]
    for key in ("count_by",):
        values = state.get(key) or []
        gone += [label(n) for n in values if n not in known]
        state[key] = [n for n in values if n in known]
    sort = state.get("sort") or []
    gone += [label(s.get("item")) for s in sort if isinstance(s, dict) and s.get("item") not in known]
    state["sort"] = [s for s in sort if isinstance(s, dict) and s.get("item") in known]

    def prune(node):
        mode = "any" if "any" in node else "all"
        kept = []
        for child in node.get(mode) or []:
            if isinstance(child, dict) and ("all" in child or "any" in child):
                kept.append(prune(child))
            elif isinstance(child, dict) and (not child.get("item") or child.get("item") in known):
                kept.append(child)
            elif isinstance(child, dict):
                gone.append(label(child.get("item")))
        return {mode: kept}

    if isinstance(state.get("where"), dict):
        state["where"] = prune(state["where"])
    prune_params(state)
    return list(dict.fromkeys(gone))


def prune_params(state: dict) -> None:
    used = referenced_params(state)
    state["params"] = {k: v for k, v in (state.get("params") or {}).items() if k in used}
    if not state["params"]:
        state.pop("params")


# ------------------------------------------------------------------ step 2: 項目

def read_items(post, state: dict, action: str) -> str | None:
    """Step 2's list (posted in order as `items`), the add/up/down/remove buttons and the two flags. Returns
    the id of the element that should have the focus after the round trip (the moved item's button)."""
    items = [clean(n, 100) for n in post.getlist("items") if clean(n, 100)]
    items = list(dict.fromkeys(items))
    focus = None
    verb, _, arg = action.partition(":")
    if verb == "add":
        for name in post.getlist("add_items"):
            name = clean(name, 100)
            if name and name not in items:
                items.append(name)
        focus = "item-filter"
    elif verb in ("up", "down", "remove") and arg.isdigit() and int(arg) < len(items):
        i = int(arg)
        if verb == "remove":
            items.pop(i)
            focus = f"item-{min(i, len(items) - 1)}-remove" if items else "item-filter"
        else:
            j = i - 1 if verb == "up" else i + 1
            if 0 <= j < len(items):
                items[i], items[j] = items[j], items[i]
                i = j
            focus = f"item-{i}-{verb}"
    state["items"] = items
    state["include_individual_number"] = post.get("include_individual_number") == "on"
    state["include_protected"] = post.get("include_protected") == "on"
    return focus


# ------------------------------------------------------------------ step 3: 条件

def _is_group(node) -> bool:
    return isinstance(node, dict) and ("all" in node or "any" in node)


def _mode(group: dict) -> str:
    return "any" if "any" in group else "all"


def _typed(text: str, item: dict | None):
    """Numbers for integer items (年齢 65, not "65"), true/false for flags, the text otherwise."""
    text = unicodedata.normalize("NFKC", text).strip() if item and item.get("type") in ("integer", "boolean") \
        else text
    if item and item.get("type") == "integer" and re.fullmatch(r"-?\d{1,9}", text):
        return int(text)
    if item and item.get("type") == "boolean" and text in ("true", "false"):
        return text == "true"
    return text


def _read_condition(post, node: dict, prefix: str, cat: Catalogue, dataset, params: dict) -> dict:
    if prefix + ".item" not in post:
        return node
    name = clean(post.get(prefix + ".item"), 100)
    item = cat.item(dataset, name)
    op = clean(post.get(prefix + ".op"), 20) or "eq"
    if op not in OPS:
        op = "eq"
    condition = {"item": name, "op": op}
    if op not in NO_VALUE_OPS:
        if op == "between":
            value = [_typed(clean(post.get(prefix + ".value")), item), _typed(clean(post.get(prefix + ".value_to")), item)]
        elif op == "in" and item and item.get("codes"):
            value = [clean(v, 40) for v in post.getlist(prefix + ".values") if clean(v, 40)]
        elif op == "in":
            value = [_typed(v, item) for v in _LIST_SPLIT.split(clean(post.get(prefix + ".value"), 2000)) if v]
        else:
            value = _typed(clean(post.get(prefix + ".value")), item)
        param = clean(post.get(prefix + ".param_name"), NAME_MAX_CHARS)
        if post.get(prefix + ".param") == "on":
            param = param or (item["ja"] if item else name) or "値"
            params[param] = value
            value = {"param": param}
        condition["value"] = value
    return condition


def _read_group(post, group: dict, prefix: str, cat, dataset, params) -> dict:
    mode = clean(post.get(prefix + ".mode"), 5)
    mode = mode if mode in MODES else _mode(group)
    children = group.get(_mode(group)) or []
    out = []
    for i, child in enumerate(children if isinstance(children, list) else []):
        path = f"{prefix}.{i}"
        if _is_group(child):
            out.append(_read_group(post, child, path, cat, dataset, params))
        elif isinstance(child, dict):
            out.append(_read_condition(post, child, path, cat, dataset, params))
    return {mode: out}


def count_conditions(node) -> int:
    if _is_group(node):
        return sum(count_conditions(c) for c in node.get(_mode(node)) or [])
    return 1 if isinstance(node, dict) else 0


def node_at(root: dict, path: str):
    """The node named by a form prefix ("w", "w.0", "w.0.2"); None when there is none."""
    parts = path.split(".")
    if parts[0] != "w":
        return None
    node = root
    for part in parts[1:]:
        if not (_is_group(node) and part.isdigit()):
            return None
        children = node.get(_mode(node)) or []
        if int(part) >= len(children):
            return None
        node = children[int(part)]
    return node


def depth_of(path: str) -> int:
    return path.count(".") + 1        # "w" is depth 1


def read_where(post, state: dict, cat: Catalogue, action: str) -> tuple[str | None, str | None]:
    """Step 3's rows and groups into the state, then the button pressed (add a row or a group, remove one).
    Returns (the id to focus after the round trip, a message when the button was refused)."""
    params = dict(state.get("params") or {})
    root = state.get("where") if _is_group(state.get("where")) else {"all": []}
    root = _read_group(post, root, "w", cat, state.get("dataset"), params)
    state["params"] = params
    focus, refusal = None, None
    verb, _, path = action.partition(":")
    target = node_at(root, path) if path else None
    if verb in ("add", "addgroup") and _is_group(target):
        if count_conditions(root) >= MAX_CONDITIONS:
            refusal = f"条件は{MAX_CONDITIONS}個までです。"
        elif verb == "addgroup" and depth_of(path) >= MAX_DEPTH:
            refusal = f"グループの入れ子は{MAX_DEPTH}段までです。"
        else:
            children = target[_mode(target)]
            new = {"item": "", "op": "eq", "value": ""}
            children.append({"any": [new]} if verb == "addgroup" else new)
            at = f"{path}.{len(children) - 1}"
            focus = field_id(f"{at}.0.item" if verb == "addgroup" else f"{at}.item")
    elif verb == "remove" and path and path != "w" and target is not None:
        parent_path, _, index = path.rpartition(".")
        parent = node_at(root, parent_path)
        parent[_mode(parent)].pop(int(index))
        focus = field_id(f"{parent_path}.add")
    state["where"] = root
    prune_params(state)
    return focus, refusal


def field_id(name: str) -> str:
    """The same ids as the other screens' forms (`jumin.core.forms.field_id`)."""
    return "f-" + name.replace(".", "-").replace("[", "-").replace("]", "").replace(":", "-")


def ops_for(item: dict | None) -> list[tuple[str, str]]:
    """The operators offered for the item (all of them until an item is chosen)."""
    if not item:
        return list(OPS.items())
    kind = "code" if item.get("codes") and item.get("type") == "string" else item.get("type")
    return [(c, OPS[c]) for c in rules.OPS_BY_TYPE.get(kind, ())]


def usable_in_conditions(item: dict) -> bool:
    return bool(rules.OPS_BY_TYPE.get(item.get("type")))


def condition_rows(state: dict, cat: Catalogue, errors: dict, focus: str | None) -> dict:
    """The where tree as the template draws it: every group and row with its prefix, ids, the item's code
    values and operators, the value shown (a parameter's current value), and its message."""
    dataset = state.get("dataset")
    root = state.get("where") if _is_group(state.get("where")) else {"all": []}

    def draw(node, prefix, depth):
        if _is_group(node):
            mode = _mode(node)
            return {"group": True, "prefix": prefix, "id": field_id(prefix), "mode": mode, "depth": depth,
                    "children": [draw(c, f"{prefix}.{i}", depth + 1) for i, c in enumerate(node.get(mode) or [])],
                    "may_nest": depth < MAX_DEPTH, "error": errors.get(prefix)}
        item = cat.item(dataset, node.get("item")) if isinstance(node, dict) else None
        raw = node.get("value") if isinstance(node, dict) else ""
        value = param_value(state, raw)
        op = node.get("op", "eq") if isinstance(node, dict) else "eq"
        low, high = (value + ["", ""])[:2] if isinstance(value, list) and op == "between" else (value, "")
        listed = value if isinstance(value, list) else ([value] if value not in ("", None) else [])
        text = "、".join(str(v) for v in listed) if op == "in" else ("" if isinstance(low, list) else low)
        if isinstance(text, bool):
            text = "true" if text else "false"
        return {"group": False, "prefix": prefix, "id": field_id(prefix), "item_name": node.get("item", ""),
                "item": item, "op": op, "ops": ops_for(item), "value": "" if text is None else text,
                "value_to": "" if high is None else high, "values": [str(v) for v in listed],
                "param": is_param(raw), "param_name": raw["param"] if is_param(raw) else "",
                "needs_value": op not in NO_VALUE_OPS, "error": _row_error(errors, prefix),
                "focus": focus}

    return draw(root, "w", 1)


def _row_error(errors: dict, prefix: str) -> str | None:
    for key in (prefix, prefix + ".item", prefix + ".op", prefix + ".value", prefix + ".value_to"):
        if errors.get(key):
            return errors[key]
    return None


# ------------------------------------------------------------------ step 4: 並び順・集計

def read_sort(post, state: dict) -> None:
    sort = []
    for i in range(SORT_ROWS):
        name = clean(post.get(f"sort.{i}.item"), 100)
        if name and name not in [s["item"] for s in sort]:
            entry = {"item": name}
            if post.get(f"sort.{i}.order") == "desc":
                entry["desc"] = True
            sort.append(entry)
    state["sort"] = sort
    if post.get("mode") == "count":
        names = [clean(post.get(f"count_by.{i}"), 100) for i in range(COUNT_BY_MAX)]
        state["count_by"] = list(dict.fromkeys(n for n in names if n))
    else:
        state["count_by"] = []


def read_step(step: str, post, state: dict, cat: Catalogue, action: str) -> dict:
    """The posted step's fields into the state (in place). What the screen needs to know back: the focus, a
    note (items taken out with the dataset), a refused button."""
    out = {"focus": None, "note": None, "refusal": None}
    if step == "dataset":
        gone = read_dataset(post, state, cat)
        if gone:
            out["note"] = "データの種類を変えたため、次の項目・条件を外しました: " + "、".join(gone)
    elif step == "items":
        out["focus"] = read_items(post, state, action)
    elif step == "where":
        out["focus"], out["refusal"] = read_where(post, state, cat, action)
    elif step == "sort":
        read_sort(post, state)
    return out


# ------------------------------------------------------------------ refusals back to their step

def step_of_field(field: str | None) -> str | None:
    """The step whose form holds the field an engine refusal names (dataset, as_of, period…, items…,
    where…, sort…, count_by…, output)."""
    if not field:
        return None
    head = re.split(r"[.\[]", field, maxsplit=1)[0]
    return {"dataset": "dataset", "as_of": "dataset", "include_removed": "dataset", "period": "dataset",
            "entity": "dataset", "items": "items", "include_individual_number": "items",
            "include_protected": "items", "where": "where", "sort": "sort", "count_by": "sort",
            "output": "output", "params": "where"}.get(head)


def form_field(field: str, state: dict | None = None) -> str:
    """An engine field path as this form names it: `where.all[1].any[0].value` → `w.1.0.value`,
    `period.from` → `period_from`, `items[2]` → `items`, `count_by[0]` → `count_by.0`, `params.基準日` → the
    field that typed it."""
    if field.startswith("where"):
        found = re.match(r"^where((?:\.(?:all|any)\[\d+\])*)\.?(.*)$", field)
        if not found:
            return "w"
        parts = ["w"] + re.findall(r"\[(\d+)\]", found.group(1))
        tail = found.group(2)
        if tail in ("", "all", "any"):
            return ".".join(parts)
        name = "value_to" if tail.endswith("[1]") and tail.startswith("value") else re.sub(r"\[\d+\]$", "", tail)
        return ".".join(parts + [name])
    if field.startswith("period"):
        return "period_from" if field.endswith("from") else "period_to"
    if field.startswith("items"):
        return "items"
    if field.startswith("count_by"):
        found = re.findall(r"\[(\d+)\]", field)
        return f"count_by.{found[0]}" if found else "count_by.0"
    if field.startswith("sort"):
        found = re.findall(r"\[(\d+)\]", field)
        return f"sort.{found[0]}.item" if found else "sort.0.item"
    if field.startswith("params") and state is not None:
        name = field.split(".", 1)[-1]
        if is_param(state.get("as_of")) and state["as_of"]["param"] == name:
            return "as_of"
        for path, node in _conditions(state.get("where"), "w"):
            if is_param(node.get("value")) and node["value"]["param"] == name:
                return f"{path}.value"
    return field


def _conditions(node, prefix):
    if _is_group(node):
        for i, child in enumerate(node.get(_mode(node)) or []):
            yield from _conditions(child, f"{prefix}.{i}")
    elif isinstance(node, dict):
        yield prefix, node


# ------------------------------------------------------------------ the preview as a cross table

def cross_table(preview: dict) -> dict | None:
    """A count by two items as the table a clerk reads (町丁 down, 性別 across, with 計), from the engine's
    rows [a, b, 件数]. None for a list or a count by one item (shown as the engine gives it)."""
    columns = preview.get("columns") or []
    if len(columns) != 3:
        return None
    rows, across, cells = [], [], {}
    for a, b, n in preview.get("rows") or []:
        if a not in rows:
            rows.append(a)
        if b not in across:
            across.append(b)
        cells[(a, b)] = cells.get((a, b), 0) + (n or 0)
    body = [{"label": a, "cells": [cells.get((a, b), 0) for b in across],
             "total": sum(cells.get((a, b), 0) for b in across)} for a in rows]
    return {"corner": f"{columns[0]['ja']} ＼ {columns[1]['ja']}", "across": across, "rows": body,
            "totals": [sum(cells.get((a, b), 0) for a in rows) for b in across],
            "total": sum(cells.values())}
