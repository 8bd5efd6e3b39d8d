"""Standard-spec metadata on model fields: one source for the data dictionary, EUC, CSV and API.

design.md: "Every field carries its Japanese name, standard item name, type, length and code table
in model metadata". Django keeps the Japanese name (verbose_name), type and length; `item()` adds the
standard item name, the code table and whether the item is restricted (個人番号). The extra attributes
do not take part in migrations.
"""

from django.db import models


def item(field: models.Field, *, std: str | None = None, codes=None, restricted: bool = False,
         spec: str | None = None) -> models.Field:
    field.jumin_std_name = std or field.verbose_name
    field.jumin_code_table = codes
    field.jumin_restricted = restricted
    field.jumin_spec = spec
    return field


def describe_model(model) -> list[dict]:
    """Rows of the data dictionary for one model: code name, Japanese name, type, length, codes."""
    rows = []
    for field in model._meta.concrete_fields:
        codes = getattr(field, "jumin_code_table", None) or field.choices
        rows.append({
            "name": field.name,
            "column": field.column,
            "ja": str(field.verbose_name),
            "std": getattr(field, "jumin_std_name", None) or str(field.verbose_name),
            "type": field.get_internal_type(),
            "length": getattr(field, "max_length", None),
            "null": field.null,
            "codes": [(str(k), str(v)) for k, v in codes] if codes else [],
            "restricted": getattr(field, "jumin_restricted", False),
            "spec": getattr(field, "jumin_spec", None),
        })
    return rows
