"""Standard-spec metadata on model fields: one source for the data dictionary, EUC, CSV and API.

design.md: "Every field carries its Japanese name, standard item name, type, length and code table
in model metadata". Django keeps the Japanese name (verbose_name), type and length; `item()` adds the
standard item name, the 基本データリスト データ項目名称 (`basic`), the code table, the sensitivity class
(jumin.core.dictionary: 通常, 個人番号, 支援措置, 本籍, 操作ログ, 秘匿) and whether the item is restricted
(個人番号). `ja` names a field whose verbose_name cannot be changed without a migration. The extra attributes
do not take part in migrations; `jumin.core.dictionary` reads them.
"""

from django.db import models


def item(field: models.Field, *, std: str | None = None, codes=None, restricted: bool = False,
         spec: str | None = None, sensitivity: str | None = None, basic: str | None = None,
         ja: str | None = None) -> models.Field:
    field.jumin_std_name = std or field.verbose_name
    field.jumin_code_table = codes
    field.jumin_restricted = restricted
    field.jumin_spec = spec
    field.jumin_sensitivity = sensitivity
    field.jumin_basic = basic
    field.jumin_ja = ja
    return field
