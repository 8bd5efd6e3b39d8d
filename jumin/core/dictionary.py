"""The data dictionary (データディクショナリ, issue #16 item 1): every entity jumin holds and every item of it.

One source: the model metadata. A model that is an entity declares `jumin_entity = Entity(…)`; its fields
carry their Japanese name (verbose_name), type and length (Django) and, through `jumin.core.items.item`, the
基本データリスト データ項目名称 (`basic=`), the code table, the sensitivity class and the spec section. This
module finds the entities through Django's app registry (`apps.get_models()`), so core imports no other app,
and builds from them the dictionary that the extraction, the EUC, the API and the dictionary screen read —
so none of them can drift from the schema (common-functions.md §5.4; 住民記録 §10.1: "items named … with their
data types, lengths … and codes").

Every concrete field of an entity model is one item, named by its field name. A foreign key is exposed as the
*natural key* of the row it points to, so an extract never carries a meaningless internal id where a number
the clerks use exists: a key to another entity → that entity's key (`household` → the 世帯番号), a key to the
user model → the user name (`entered_by` → 利用者ID), a key to another model with one unique text column →
that column (`inquiry` → 照会番号), otherwise the row id (`change` → the 異動ID, integer). `Item.path` is the
ORM path that reads the value (`values(item.path)`: `household__household_number`, `change_id`);
`Item.column` is the database column of the field itself (`household_id`).

Sensitivity classes: 通常; 個人番号 (only a role with VIEW_INDIVIDUAL_NUMBER that asks for it explicitly);
支援措置 (only a role with VIEW_PROTECTED that asks explicitly); 本籍 (戸籍の表示: marked so outputs can mask
it, extractable with the entity's rights, 住民記録 §10.4 "hide/show 戸籍の表示 per user"); 操作ログ (only a role
with VIEW_OPERATION_LOG); 秘匿 (never extracted: credentials such as the 印影 image). An item's class is its
`item(…, sensitivity=…)` annotation, else 個人番号 when marked `restricted`, else the entity's own class
(`Entity.sensitivity`: every item of 支援措置 is 支援措置, every item of the 操作ログ is 操作ログ — a field added
later inherits the class, never 通常 by omission).

Rights come from `jumin.accounts.rules` (imported inside the functions that need it: core stays below
accounts in the import order). A refusal is `PermissionDenied` with a Japanese message; the caller logs it
(`jumin.audit.actions.log_refusal`), as core cannot import audit.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field, replace
from functools import lru_cache

from jumin.core.errors import PermissionDenied, RuleViolation

NORMAL, INDIVIDUAL_NUMBER, PROTECTION, DOMICILE, LOG, SECRET = "通常", "個人番号", "支援措置", "本籍", "操作ログ", "秘匿"
SENSITIVITIES = (NORMAL, INDIVIDUAL_NUMBER, PROTECTION, DOMICILE, LOG, SECRET)

# The edition of the dictionary's shape (year.month); the hash after it changes with any item.
EDITION = "2026.12"
# The order of the entities in every export (the codes are fixed: platform.md §1).
ORDER = ("residents", "history", "households", "changes", "issuances", "seals", "seal_events", "protections",
         "restrictions", "operation_log")
NO_BASIC = "対応なし（jumin独自項目）"

TYPES = ("string", "integer", "number", "boolean", "date", "datetime", "json", "binary")
_TYPE_OF = {
    "CharField": "string", "TextField": "string", "EmailField": "string", "SlugField": "string",
    "URLField": "string", "UUIDField": "string",
    "IntegerField": "integer", "BigIntegerField": "integer", "SmallIntegerField": "integer",
    "PositiveIntegerField": "integer", "PositiveBigIntegerField": "integer", "PositiveSmallIntegerField": "integer",
    "AutoField": "integer", "BigAutoField": "integer", "SmallAutoField": "integer",
    "FloatField": "number", "DecimalField": "number",
    "BooleanField": "boolean", "DateField": "date", "DateTimeField": "datetime", "JSONField": "json",
    "BinaryField": "binary",
}

# Tables of jumin's apps that are not entities, and why (a new model is an entity, declares
# `jumin_internal = "<why>"` on itself, or is listed here; test_data_dictionary_covers_every_model checks it).
INTERNAL = {
    "core.Municipality": "自治体設定（運用の設定。画面で確認できる）",
    "core.NumberSequence": "採番の状態（宛名番号などの次の番号。業務データではない）",
    "core.Journal": "変更ジャーナル（差分抽出の仕組みそのもの。抽出の時点として manifest に記す）",
    "accounts.User": "利用者（認証情報を含む。業務データではない）",
    "accounts.ApiToken": "APIトークン（認証情報。秘匿）",
    "accounts.LoginFailure": "ログイン失敗（認証の状態。認証の記録は操作ログにある）",
    "register.ChangeSubject": "異動対象者（ロック・一覧用の写し。対象者は住民票履歴の異動IDで分かる）",
    "search.SearchKey": "検索キー（氏名・住所の検索用の写し。住民票から再計算できる）",
    "search.SearchHistory": "検索履歴（利用者ごとの画面の補助。照会の記録は操作ログにある）",
    "restrictions.ProtectedPerson": "併せて支援措置を求める者（支援措置の内部。抽出しない）",
    "restrictions.Offender": "加害者（支援措置の内部。抽出しない）",
    "restrictions.ProtectionHistory": "支援措置の履歴（支援措置の内部。抽出しない）",
    "certificates.CertificateConfig": "証明書設定（運用の設定）",
    "certificates.Signatory": "認証者（公印）（運用の設定）",
    "certificates.IssueCounter": "発行通番（採番の状態）",
    "certificates.IssuedDocument": "交付PDF（再印刷用に数日だけ保存する写し。内容は交付履歴にある）",
    "seals.SealSettings": "印鑑登録設定（運用の設定）",
    "seals.SealCard": "印鑑登録証（番号と状態は印鑑登録原票の履歴にある）",
    "seals.SealInquiry": "印鑑登録照会書（照会番号で原票とその履歴から参照する。印影を含む）",
    # EUC (issue #16 items 4-5): its own records, read on the EUC screens; the app may later declare them entities.
    "euc.EucSettings": "EUCの設定（運用の設定）",
    "euc.SavedQuery": "保存した抽出条件（所属ごとの画面の補助。人のデータを含まない）",
    "euc.EucRun": "EUCの実行記録（抽出の記録。EUC の画面で利用者・宛名番号ごとに検索する）",
    "euc.EucRunSubject": "EUCの出力に含まれた人（EUCの実行記録の内部）",
}

NOTES = (
    "基本データリストの項目名（basic）は、common-functions.md §5.2 に記した標準準拠パッケージの項目名（[F2]: "
    "ベンダーによる基本データリストの近似）に合わせた。公式の「001_住民基本台帳_基本データリスト」Excel は未取得のため、"
    "取得後に差分を確認する。対応する項目がないものは「対応なし（jumin独自項目）」とする。",
    "基本データリストとの対応の考え方: 同じ意味の項目だけを対応させる。「…_不詳表記」は不詳日の表記（一覧の「異動年月日 "
    "(+不詳フラグ, 不詳表記)」の形を他の日付にも当てはめた推定 [I]）。住所・転入前住所・転出先住所は一覧では都道府県・"
    "市区郡町村名・町字・番地号表記に分かれるが jumin は一つの文字列で持つため対応なし（方書・郵便番号は対応）。"
    "住所コード（11桁）は一覧の市区町村コード＋町字コードと形が違うため対応なし。在留資格は一覧ではコード、jumin では名称。"
    "住所を定めた年月日・本籍・住民票コードは一覧（[F2]）に見当たらないため対応なし。",
    "外部キーは参照先の自然キーで表す（世帯→世帯番号、利用者→利用者ID、照会書→照会番号）。自然キーのない参照は行のID。"
    "path はその値を読む ORM の経路、column はモデルの列。",
    "異動（changes）は本登録された異動だけを含む（仮登録・破棄は抽出しない）。異動の対象者は、住民票履歴（history）の"
    "異動ID（change）と宛名番号で分かる。",
    "機微区分: 個人番号は個人番号の表示権限と明示の指定、支援措置は支援措置対象者の照会権限と明示の指定、操作ログは操作ログの"
    "照会権限が要る。秘匿（印影画像）は抽出しない。本籍は抽出できるが、出力で伏せられるよう区分を付ける（住民記録 §10.4）。"
    "支援措置対象者の行（protected_rows）は、支援措置対象者の照会権限と明示の指定がなければ含めない。",
    "実体にしない内部の表は internal に理由とともに記す（認証情報、運用の設定、採番の状態、検索用の写し、支援措置の内部）。",
    "保存期間: 除票・改製前の住民票は消除・改製から150年（住民基本台帳法施行令 第34条第1項、令和元年改正。住民記録 §1.1.5・"
    "§9.3）。操作ログの7年は市区町村の判断による既定値（住民記録 §10.2 は市区町村が定める期間とする）。交付履歴は市区町村が"
    "定める期間（住民記録 §1.3.8）で、jumin は削除しない。",
)


@dataclass(frozen=True)
class Item:
    """One column of one entity (one concrete model field)."""

    entity: str
    name: str            # code name (the field's name)
    column: str          # the field's database column
    ja: str              # Japanese name (画面・帳票の項目名)
    basic: str | None    # 基本データリスト データ項目名称, or None (jumin独自項目)
    type: str            # one of TYPES
    length: int | None
    null: bool
    codes: tuple[tuple[str, str], ...]
    sensitivity: str
    spec: str | None
    source: str          # "register.Resident.name"
    path: str = ""       # the ORM path that reads the value (a foreign key: its natural key)


@dataclass(frozen=True)
class Entity:
    """A set of rows the system holds, declared on its model as `jumin_entity`; `model` and `items` are filled
    by discovery (entities()). `protected_rows` is the ORM path of the 宛名番号 that makes a row a 支援措置
    person's (for `jumin.restrictions.queries.hidden_q`), None when rows name no person. `sensitivity` is the
    class of every item not annotated otherwise; `where` the filter of the rows that belong to the entity."""

    code: str
    ja: str
    key: tuple[str, ...]
    permission: str
    retention: str
    protected_rows: str | None = None
    model: type | None = None
    items: tuple[Item, ...] = ()
    sensitivity: str = NORMAL
    where: tuple[tuple[str, object], ...] = ()
    description: str = ""

    def rows(self):
        """The entity's rows (its model's rows, filtered by `where`)."""
        return self.model._default_manager.filter(**dict(self.where))


@dataclass
class Allowance:
    """What one role may extract of one entity: the items, and the items left out with the reason why."""

    items: list[Item] = field(default_factory=list)
    left_out: list[tuple[Item, str]] = field(default_factory=list)


# ------------------------------------------------------------------ discovery

def _natural_key(fk) -> "object":
    """The field of the referenced model that a foreign key is shown as (see the module docstring)."""
    from django.contrib.auth import get_user_model

    target = fk.related_model
    declared = getattr(target, "jumin_entity", None)
    if declared is not None:
        single = len(declared.key) == 1 and declared.key[0] != target._meta.pk.name
        return target._meta.get_field(declared.key[0]) if single else None
    if target is get_user_model():
        return target._meta.get_field(target.USERNAME_FIELD)
    for candidate in target._meta.concrete_fields:
        if candidate.unique and not candidate.primary_key and candidate.get_internal_type() == "CharField":
            return candidate
    return None


def _ja(model, entity: Entity, f) -> str:
    annotated = getattr(f, "jumin_ja", None)
    if annotated:
        return annotated
    if f.primary_key:
        return f"{model._meta.verbose_name}ID"
    return str(f.verbose_name)


def _item(model, entity: Entity, f) -> Item:
    label = f"{model._meta.app_label}.{model.__name__}.{f.name}"
    path, described = f.name, f
    if f.is_relation:
        key = _natural_key(f)
        if key is None:
            path, described = f.attname, f.target_field
        else:
            path, described = f"{f.name}__{key.name}", key
    internal = described.get_internal_type()
    if internal not in _TYPE_OF:
        raise TypeError(f"{label}: no dictionary type for {internal}")
    codes = getattr(f, "jumin_code_table", None) or (f.flatchoices if f.choices else ())
    sensitivity = getattr(f, "jumin_sensitivity", None) or (
        INDIVIDUAL_NUMBER if getattr(f, "jumin_restricted", False) else entity.sensitivity)
    if sensitivity not in SENSITIVITIES:
        raise ValueError(f"{label}: unknown sensitivity {sensitivity!r}")
    return Item(entity=entity.code, name=f.name, column=f.column, ja=_ja(model, entity, f),
                basic=getattr(f, "jumin_basic", None), type=_TYPE_OF[internal],
                length=getattr(described, "max_length", None) if _TYPE_OF[internal] == "string" else None,
                null=f.null, codes=tuple((str(k), str(v)) for k, v in codes), sensitivity=sensitivity,
                spec=getattr(f, "jumin_spec", None), source=label, path=path)


def entity_models() -> list[type]:
    """Every installed model that declares itself an entity (on the class itself, not inherited)."""
    from django.apps import apps

    return [m for m in apps.get_models() if "jumin_entity" in m.__dict__]


@lru_cache(maxsize=1)
def _discovered() -> tuple[Entity, ...]:
    found = []
    for model in entity_models():
        declared = model.__dict__["jumin_entity"]
        filled = replace(declared, model=model)
        filled = replace(filled, items=tuple(_item(model, filled, f) for f in model._meta.concrete_fields))
        found.append(filled)
    rank = {code: i for i, code in enumerate(ORDER)}
    found.sort(key=lambda e: (rank.get(e.code, len(ORDER)), e.code))
    codes = [e.code for e in found]
    if len(set(codes)) != len(codes):
        raise ValueError(f"duplicate entity codes: {codes}")
    return tuple(found)


def internal_models() -> list[tuple[type, str]]:
    """The models of jumin's apps that are not entities, with why (INTERNAL or the model's `jumin_internal`)."""
    from django.apps import apps

    found = []
    for model in apps.get_models():
        if not model.__module__.startswith("jumin.") or "jumin_entity" in model.__dict__:
            continue
        reason = model.__dict__.get("jumin_internal") or INTERNAL.get(model._meta.label)
        found.append((model, reason))
    return found


def entities() -> list[Entity]:
    """Every entity, in a stable order (ORDER, then new entities by code)."""
    return list(_discovered())


def entity(code: str) -> Entity:
    for found in _discovered():
        if found.code == code:
            return found
    raise RuleViolation(f"「{code}」というデータはありません。データディクショナリ（/dictionary/）で名前を確認してください。",
                        field="entity", code="unknown_entity")


def item(entity_code: str, name: str) -> Item:
    """One item by its code name, its Japanese name or its 基本データリスト name (in that order of precedence)."""
    found = entity(entity_code)
    for attr in ("name", "ja", "basic"):
        for candidate in found.items:
            if getattr(candidate, attr) == name:
                return candidate
    raise RuleViolation(f"「{found.ja}」に「{name}」という項目はありません。データディクショナリで項目名を確認してください。",
                        field="item", code="unknown_item")


def search(query: str) -> list[Item]:
    """Items whose Japanese name, code name or 基本データリスト name contains `query` (case-insensitive)."""
    needle = (query or "").strip().casefold()
    if not needle:
        return [i for e in _discovered() for i in e.items]
    return [i for e in _discovered() for i in e.items
            if any(needle in (text or "").casefold() for text in (i.ja, i.name, i.basic))]


# ------------------------------------------------------------------ rights

def _role(who) -> str | None:
    """A role code from a role string, a user (`.role`) or an actor (`.user.role`)."""
    if who is None or isinstance(who, str):
        return who
    user = getattr(who, "user", None)
    if user is not None and hasattr(user, "role"):
        return user.role
    return getattr(who, "role", None)


def may_extract(role, entity_code: str) -> bool:
    from jumin.accounts import rules

    found = entity(entity_code)
    code = _role(role)
    return rules.has_permission(code, rules.EXTRACT_DATA) and rules.has_permission(code, found.permission)


def _refusal(found: Entity, role) -> PermissionDenied:
    from jumin.accounts import rules

    missing = [rules.PERMISSION_LABELS.get(p, p) for p in (rules.EXTRACT_DATA, found.permission)
               if not rules.has_permission(_role(role), p)]
    return PermissionDenied(f"「{found.ja}」を抽出する権限がありません（必要な権限: {'、'.join(missing)}）。",
                            code="forbidden")


def _reason(item_: Item, role: str | None, individual_number: bool, protected: bool) -> str | None:
    """Why `role` may not extract this item with these flags, or None when it may."""
    from jumin.accounts import rules

    if item_.sensitivity == SECRET:
        return "秘匿項目のため抽出できません。"
    if item_.sensitivity == INDIVIDUAL_NUMBER:
        if not rules.has_permission(role, rules.VIEW_INDIVIDUAL_NUMBER):
            return "個人番号を表示する権限がないため除きました。"
        if not individual_number:
            return "個人番号を含める指定がないため除きました。"
    if item_.sensitivity == PROTECTION:
        if not rules.has_permission(role, rules.VIEW_PROTECTED):
            return "支援措置対象者を照会する権限がないため除きました。"
        if not protected:
            return "支援措置の項目を含める指定がないため除きました。"
    if item_.sensitivity == LOG and not rules.has_permission(role, rules.VIEW_OPERATION_LOG):
        return "操作ログを照会する権限がないため除きました。"
    return None


def allowed_items(entity_code: str, role, *, individual_number: bool = False, protected: bool = False) -> Allowance:
    """The items of one entity this role may extract with these flags, and the ones left out (with why).

    The entity itself needs EXTRACT_DATA and the entity's own permission, else PermissionDenied. 個人番号 items
    need VIEW_INDIVIDUAL_NUMBER and the flag; 支援措置 items VIEW_PROTECTED and the flag; 操作ログ items
    VIEW_OPERATION_LOG; 秘匿 items are never extracted (platform.md §1)."""
    found = entity(entity_code)
    code = _role(role)
    if not may_extract(code, entity_code):
        raise _refusal(found, code)
    allowance = Allowance()
    for candidate in found.items:
        reason = _reason(candidate, code, individual_number, protected)
        if reason is None:
            allowance.items.append(candidate)
        else:
            allowance.left_out.append((candidate, reason))
    return allowance


def may_include_protected(role, flag: bool) -> bool:
    """Whether rows of 支援措置 persons may be in an output: VIEW_PROTECTED and the explicit flag."""
    from jumin.accounts import rules

    return bool(flag) and rules.has_permission(_role(role), rules.VIEW_PROTECTED)


def extractable_by(found: Entity, item_: Item | None = None) -> list[str]:
    """The roles that may extract the entity (or the item, when they ask for it with the flags), in role order."""
    from jumin.accounts import rules

    roles = [code for code, _ in rules.ROLE_CHOICES if may_extract(code, found.code)]
    if item_ is None:
        return roles
    return [code for code in roles if _reason(item_, code, True, True) is None]


def needs_flag(item_: Item) -> str | None:
    """The flag an extraction must set to get this item (EUC query keys, platform.md §6), or None."""
    return {INDIVIDUAL_NUMBER: "include_individual_number", PROTECTION: "include_protected"}.get(item_.sensitivity)


def role_labels() -> dict[str, str]:
    from jumin.accounts import rules

    return {code: str(label) for code, label in rules.ROLE_CHOICES}


# ------------------------------------------------------------------ the canonical form

def item_json(found: Entity, item_: Item) -> dict:
    return {
        "name": item_.name, "ja": item_.ja, "basic": item_.basic, "type": item_.type, "length": item_.length,
        "null": item_.null, "codes": [list(pair) for pair in item_.codes], "sensitivity": item_.sensitivity,
        "spec": item_.spec, "source": item_.source, "column": item_.column, "path": item_.path,
        "needs_flag": needs_flag(item_), "extractable_by": extractable_by(found, item_),
    }


def entity_json(found: Entity) -> dict:
    return {
        "code": found.code, "ja": found.ja, "key": list(found.key), "permission": found.permission,
        "retention": found.retention, "protected_rows": found.protected_rows, "sensitivity": found.sensitivity,
        "description": found.description, "where": {k: v for k, v in found.where},
        "model": f"{found.model._meta.app_label}.{found.model.__name__}", "table": found.model._meta.db_table,
        "extractable_by": extractable_by(found), "items": [item_json(found, i) for i in found.items],
    }


@lru_cache(maxsize=1)
def _body() -> str:
    body = {"edition": EDITION, "notes": list(NOTES), "sensitivities": list(SENSITIVITIES), "types": list(TYPES),
            "roles": role_labels(), "entities": [entity_json(e) for e in _discovered()],
            "internal": [{"model": m._meta.label, "ja": str(m._meta.verbose_name), "reason": reason}
                         for m, reason in internal_models()]}
    return json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def version() -> str:
    """`<edition>-<first 12 hex of the sha256 of the canonical JSON>`: any change to any item changes it."""
    return f"{EDITION}-{hashlib.sha256(_body().encode('utf-8')).hexdigest()[:12]}"


def as_json() -> dict:
    """The whole dictionary, canonical (the exports, the API and version() read this)."""
    return {"version": version(), **json.loads(_body())}
