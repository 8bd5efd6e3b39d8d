"""Form fields ↔ change parameters. Pure: no Django.

The screens post flat fields named by path, the same paths the domain rules name in their refusals:
`members[0].name`, `address.postcode`, `relationships.0000000019`, `list:members` (checkboxes → a list),
`bool:ex_officio`. `to_params` builds the same nested dict the JSON API takes, so a screen and the API can
never drift apart, and a refusal's `field` points at the very input to mark.
"""

import re

_INDEX = re.compile(r"^(\w+)\[(\d+)\]$")
CONTROL_FIELDS = {"csrfmiddlewaretoken", "step", "idempotency_key_form", "params_json"}


def _set(target: dict, path: list[str], value) -> None:
    head, rest = path[0], path[1:]
    match = _INDEX.match(head)
    if match:
        name, index = match.group(1), int(match.group(2))
        items = target.setdefault(name, [])
        while len(items) <= index:
            items.append({})
        if rest:
            _set(items[index], rest, value)
        else:
            items[index] = value
        return
    if rest:
        _set(target.setdefault(head, {}), rest, value)
    else:
        target[head] = value


def _prune(value):
    """Drop blanks the clerk left empty, and list rows left entirely empty."""
    if isinstance(value, dict):
        out = {k: _prune(v) for k, v in value.items()}
        return {k: v for k, v in out.items() if v not in ("", None, {}, [])}
    if isinstance(value, list):
        return [v for v in (_prune(v) for v in value) if v not in ("", None, {}, [])]
    return value.strip() if isinstance(value, str) else value


# Inputs the screens preselect (住民種別 日本人 on a new person row): a row holding nothing else was never
# touched by the clerk and is dropped like an empty one.
PRESELECTED = {"resident_type"}


def _drop_untouched(value):
    if isinstance(value, dict):
        return {k: _drop_untouched(v) for k, v in value.items()}
    if isinstance(value, list):
        rows = [_drop_untouched(v) for v in value]
        return [v for v in rows if not (isinstance(v, dict) and v and set(v) <= PRESELECTED)]
    return value


def to_params(fields: dict[str, list[str]]) -> dict:
    """Flat form data (name → list of values, like Django's QueryDict.lists()) → nested parameters."""
    params: dict = {}
    for name, values in fields.items():
        if name in CONTROL_FIELDS:
            continue
        if name.startswith("list:"):
            _set(params, name[5:].split("."), [v for v in values if v])
        elif name.startswith("bool:"):
            _set(params, name[5:].split("."), any(v in ("on", "true", "1") for v in values))
        else:
            _set(params, name.split("."), values[-1] if values else "")
    return _prune(_drop_untouched(_prune(params)))


def to_fields(params: dict, prefix: str = "") -> dict[str, object]:
    """Nested parameters → flat field values, to fill a form again (nothing typed is lost on a refusal)."""
    out: dict[str, object] = {}
    for key, value in params.items():
        path = f"{prefix}.{key}" if prefix else str(key)
        if isinstance(value, dict):
            out.update(to_fields(value, path))
        elif isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
            for i, item in enumerate(value):
                out.update(to_fields(item, f"{path}[{i}]"))
        else:
            out[path] = value
    return out
