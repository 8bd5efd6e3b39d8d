"""Code tables of the register (standard-spec §2, §3.5).

The numeric 異動事由コード of the standard were not found (standard-spec §3.5 "Not found"), so jumin
uses its own readable codes and maps each to the standard class (記載・消除・修正). This file is the
one place those codes live; docs/data-dictionary.md is generated from it.
"""

from dataclasses import dataclass

JAPANESE = "japanese"
FOREIGN = "foreign"
RESIDENT_TYPE_CHOICES = [(JAPANESE, "日本人住民"), (FOREIGN, "外国人住民")]

RESIDENT = "resident"
REMOVED = "removed"
STATUS_CHOICES = [(RESIDENT, "住民"), (REMOVED, "除票")]

MALE = "1"
FEMALE = "2"
SEX_CHOICES = [(MALE, "男"), (FEMALE, "女")]

DOMICILE_RECORDED = "recorded"
DOMICILE_NONE = "none"
DOMICILE_UNKNOWN = "unknown"
DOMICILE_STATUS_CHOICES = [(DOMICILE_RECORDED, "記載あり"), (DOMICILE_NONE, "なし"), (DOMICILE_UNKNOWN, "不明")]

NAME_PRIORITY_CHOICES = [("name", "氏名"), ("alias", "通称")]

# 法第30条の45 区分 (standard-spec §2.2)
MID_LONG_TERM = "mid_long_term"
SPECIAL_PERMANENT = "special_permanent"
TEMPORARY_REFUGE = "temporary_refuge"
PROVISIONAL_STAY = "provisional_stay"
TRANSITIONAL = "transitional"
ARTICLE_30_45_CHOICES = [
    (MID_LONG_TERM, "中長期在留者"),
    (SPECIAL_PERMANENT, "特別永住者"),
    (TEMPORARY_REFUGE, "一時庇護許可者"),
    (PROVISIONAL_STAY, "仮滞在許可者"),
    (TRANSITIONAL, "出生による経過滞在者又は国籍喪失による経過滞在者"),
]
TRANSITIONAL_REASON_CHOICES = [("birth", "出生"), ("nationality_loss", "国籍喪失")]

PENSION_CATEGORY_CHOICES = [("1", "第1号"), ("3", "第3号"), ("optional", "任意加入")]

# 異動事由 classes (standard-spec §3.5)
ENTRY = "entry"
REMOVAL = "removal"
CORRECTION = "correction"
NOTICE = "notice"
REASON_CLASS_CHOICES = [(ENTRY, "記載"), (REMOVAL, "消除"), (CORRECTION, "修正"), (NOTICE, "通知")]


@dataclass(frozen=True)
class Reason:
    code: str
    label: str            # the standard's 事由 name
    reason_class: str     # ENTRY / REMOVAL / CORRECTION / NOTICE


REASONS = [
    Reason("move_in_domestic", "国内転入", ENTRY),
    Reason("move_in_abroad", "国外転入等", ENTRY),
    Reason("birth", "出生", ENTRY),
    Reason("naturalization_entry", "職権記載（帰化等）", ENTRY),
    Reason("nationality_loss_entry", "職権記載（国籍喪失）", ENTRY),
    Reason("ex_officio_entry", "職権記載", ENTRY),
    Reason("cancel_increase", "異動の取消し（増）", ENTRY),
    Reason("move_out_domestic", "国内転出", REMOVAL),
    Reason("move_out_abroad", "国外転出", REMOVAL),
    Reason("death", "死亡", REMOVAL),
    Reason("naturalization_removal", "職権消除（帰化等）", REMOVAL),
    Reason("nationality_loss_removal", "職権消除（国籍喪失）", REMOVAL),
    Reason("ex_officio_removal", "職権消除", REMOVAL),
    Reason("cancel_decrease", "異動の取消し（減）", REMOVAL),
    Reason("relocation", "転居", CORRECTION),
    Reason("minor_correction", "軽微な修正", CORRECTION),
    Reason("ex_officio_correction", "職権修正", CORRECTION),
    Reason("clerical_correction", "誤記修正", CORRECTION),
    Reason("individual_number_change_request", "個人番号の変更請求", CORRECTION),
    Reason("individual_number_correction", "個人番号の職権修正", CORRECTION),
    Reason("individual_number_entry", "個人番号の職権記載", CORRECTION),
    Reason("resident_code_change_request", "住民票コードの変更請求", CORRECTION),
    Reason("resident_code_entry", "住民票コードの職権記載", CORRECTION),
    Reason("household_split", "世帯分離", CORRECTION),
    Reason("household_merge", "世帯合併", CORRECTION),
    Reason("household_change", "世帯変更", CORRECTION),
    Reason("head_change", "世帯主変更", CORRECTION),
    Reason("former_surname_entry", "旧氏の記載", CORRECTION),
    Reason("former_surname_change", "旧氏の変更", CORRECTION),
    Reason("former_surname_deletion", "旧氏の削除", CORRECTION),
    Reason("alias_entry", "通称の記載", CORRECTION),
    Reason("alias_deletion", "通称の削除", CORRECTION),
    Reason("cancel_correction", "異動の取消し（修正）", CORRECTION),
    Reason("move_in_notice", "転入通知の受理", NOTICE),
    Reason("migration", "移行", ENTRY),
]
REASON_BY_CODE = {r.code: r for r in REASONS}
REASON_CHOICES = [(r.code, r.label) for r in REASONS]

# 消除事由 on a 除票 (standard-spec §2.1): the removal reasons above.
REMOVAL_REASON_CHOICES = [(r.code, r.label) for r in REASONS if r.reason_class == REMOVAL]

# 異動処理 (the operation a clerk performs; one Change). Its persons may get different 事由.
CHANGE_KIND_CHOICES = [
    ("move_in", "転入"),
    ("relocation", "転居"),
    ("move_out", "転出"),
    ("move_in_notice", "転入通知の受理"),
    ("household_split", "世帯分離"),
    ("household_merge", "世帯合併"),
    ("household_change", "世帯変更"),
    ("head_change", "世帯主変更"),
    ("birth", "出生"),
    ("death", "死亡"),
    ("ex_officio_entry", "職権記載"),
    ("ex_officio_removal", "職権消除"),
    ("correction", "職権修正"),
    ("former_surname", "旧氏の記載・変更・削除"),
    ("alias", "通称の記載・削除"),
    ("individual_number", "個人番号の記載・変更・修正"),
    ("resident_code", "住民票コードの記載・変更・修正"),
    ("naturalization", "帰化・国籍取得"),
    ("nationality_loss", "国籍喪失"),
    ("cancellation", "異動の取消し"),
    ("migration", "移行"),
]
CHANGE_KIND_LABELS = dict(CHANGE_KIND_CHOICES)

DRAFT = "draft"
APPROVED = "approved"
DISCARDED = "discarded"
CHANGE_STATUS_CHOICES = [(DRAFT, "仮登録"), (APPROVED, "本登録"), (DISCARDED, "破棄")]
