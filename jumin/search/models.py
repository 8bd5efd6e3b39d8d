"""Search keys: the folded forms of every name, kana and address a person has ever had (standard-spec §6.1).

One row per (person, kind, folded key). Kept in step by the change engine (jumin.search.actions, in the
same transaction as the change) and rebuilt in bulk by `jumin reindex_search`. The stored names are never
changed; only these keys are folded. Prefix search is an index range scan (key >= k AND key < k+U+10FFFF),
which works the same on SQLite (BINARY) and PostgreSQL (the column uses the "C" collation there).
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

NAME = "name"                    # 氏名 (kanji or alphabet)
NAME_GIVEN = "name_given"        # 名 only (given-name-only search)
KANA = "kana"                    # 氏名フリガナ
KANA_GIVEN = "kana_given"        # フリガナの名
FORMER_SURNAME = "former_surname"
ALIAS = "alias"
ALIAS_KANA = "alias_kana"
ADDRESS = "address"              # 住所 + 方書
KIND_CHOICES = [
    (NAME, "氏名"), (NAME_GIVEN, "名"), (KANA, "氏名フリガナ"), (KANA_GIVEN, "名フリガナ"), (FORMER_SURNAME, "旧氏"),
    (ALIAS, "通称"), (ALIAS_KANA, "通称フリガナ"), (ADDRESS, "住所・方書"),
]


class SearchKey(models.Model):
    addressee_number = models.CharField("宛名番号", max_length=10)
    kind = models.CharField("種類", max_length=16, choices=KIND_CHOICES)
    key = models.CharField("検索キー", max_length=200)
    current = models.BooleanField("現在の記載", default=True)
    living = models.BooleanField("住民（除票でない）", default=True)
    # The person's current 氏名フリガナ, so a page of a broad prefix is chosen and ordered from the index alone
    # (no join to the records to sort): kept in step like `living`, by the change engine.
    sort = models.CharField("並び順（現在の氏名フリガナ）", max_length=200, blank=True, default="")

    class Meta:
        verbose_name = "検索キー"
        constraints = [models.UniqueConstraint(fields=["addressee_number", "kind", "key"], name="searchkey_unique")]
        indexes = [
            # The only index for a key (range): a prefix range of living (or, with `living IN (true, false)`,
            # all) persons with their 宛名番号 and sort key, read from the index alone on both databases. A second
            # index on (kind, key) was dropped (search.0007): PostgreSQL estimates one row for any key range, so
            # it chose between the two by size and, after an ANALYZE, took the one that reads the table.
            models.Index(fields=["kind", "living", "key", "addressee_number", "sort"], name="searchkey_living_cover"),
        ]


class SearchHistory(models.Model):
    """A user's own recent searches (standard-spec §6.1 検索履歴). 個人番号 is never stored here."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField("日時", default=timezone.now)
    criteria = models.JSONField("条件")
    hits = models.PositiveIntegerField("件数")

    class Meta:
        verbose_name = "検索履歴"
        indexes = [models.Index(fields=["user", "at"], name="searchhistory_user_at")]
