"""Check digits of the numbers the register holds (standard-spec §7).

個人番号 and 住民票コード are issued by J-LIS and only validated here; 宛名番号 and 世帯番号 are
issued by jumin itself with a modulus-11 check digit (standard-spec §2.6, §7.3). Each formula lives
in exactly one function below, so a correction to one of them is a one-line change.
"""

import re

import jaconv

from jumin.core.errors import RuleViolation

# Characters a clerk or a CSV may put between digit groups: spaces and dashes of every width.
_SEPARATORS = re.compile(r"[\s\-‐‑‒–—―−ー－]")


def _weighted_sum_from_right(digits: str) -> int:
    """Σ digit × weight, weights 2,3,4,5,6,7,2,3,… starting at the rightmost digit.

    This is the weighting shared by 個人番号 (§7.1), the assumed 住民票コード rule (§7.2), 宛名番号
    (§7.3) and 全国地方公共団体コード; the rules differ only in what they do with the remainder.
    """
    return sum(int(digit) * (2 + position % 6) for position, digit in enumerate(reversed(digits)))


def _is_ascii_digits(value: str, length: int) -> bool:
    return isinstance(value, str) and len(value) == length and value.isascii() and value.isdigit()


def _require_digits(value: str, length: int, what: str) -> None:
    """Programming errors (not clerk input) in the arguments of the check-digit functions."""
    if not _is_ascii_digits(value, length):
        raise ValueError(f"{what} must be {length} ASCII digits, got {value!r}")


def _clean(value) -> str:
    """Full-width digits and letters to ASCII; spaces and hyphens between groups removed."""
    if value is None:
        return ""
    text = jaconv.z2h(str(value), kana=False, ascii=True, digit=True)
    return _SEPARATORS.sub("", text)


# --------------------------------------------------------------------------- 個人番号


def individual_number_check_digit(base11: str) -> int:
    """検査用数字 of a 個人番号 from its first 11 digits (standard-spec §7.1, confirmed:
    総務省令第85号 第5条). Weights left→right 6,5,4,3,2,7,6,5,4,3,2; r = sum mod 11;
    0 if r ≤ 1, else 11 − r."""
    _require_digits(base11, 11, "base11")
    remainder = _weighted_sum_from_right(base11) % 11
    return 0 if remainder <= 1 else 11 - remainder


def is_valid_individual_number(value: str) -> bool:
    """True for exactly 12 ASCII digits whose last digit is the right 検査用数字."""
    if not _is_ascii_digits(value, 12):
        return False
    return individual_number_check_digit(value[:11]) == int(value[11])


def validate_individual_number(value, *, field: str = "individual_number") -> str:
    """The 12-digit 個人番号 as stored, or a RuleViolation for the clerk.

    Accepts full-width digits and spaces or hyphens between groups (as printed on the card).
    """
    number = _clean(value)
    if not number:
        raise RuleViolation("個人番号を入力してください。", field=field, code="required")
    if not _is_ascii_digits(number, 12):
        raise RuleViolation("個人番号は12桁の数字で入力してください。", field=field, code="invalid_format")
    if not is_valid_individual_number(number):
        raise RuleViolation("個人番号の検査用数字が一致しません。", field=field, code="check_digit")
    return number


# --------------------------------------------------------------------------- 住民票コード


def resident_code_check_digit(base10: str) -> int:
    """検査数字 of a 住民票コード from its first 10 digits (standard-spec §7.2).

    UNVERIFIED ASSUMPTION: the official 総務省告示 was not found. Two independent public
    implementations and three public sample codes agree with the 個人番号 rule applied to 10
    digits: weights from the right 2,3,4,5,6,7,2,3,4,5; r = sum mod 11; 0 if r ≤ 1, else 11 − r.
    This is the ONLY place the formula lives; verify it against the 告示 and correct it here.
    住民票コード come from the J-LIS pool, so this is used for input validation only.
    """
    _require_digits(base10, 10, "base10")
    remainder = _weighted_sum_from_right(base10) % 11
    return 0 if remainder <= 1 else 11 - remainder


def is_valid_resident_code(value: str) -> bool:
    """True for exactly 11 ASCII digits whose last digit is the (assumed) 検査数字, see above."""
    if not _is_ascii_digits(value, 11):
        return False
    return resident_code_check_digit(value[:10]) == int(value[10])


def validate_resident_code(value, *, field: str = "resident_code") -> str:
    """The 11-digit 住民票コード as stored, or a RuleViolation for the clerk."""
    code = _clean(value)
    if not code:
        raise RuleViolation("住民票コードを入力してください。", field=field, code="required")
    if not _is_ascii_digits(code, 11):
        raise RuleViolation("住民票コードは11桁の数字で入力してください。", field=field, code="invalid_format")
    if not is_valid_resident_code(code):
        raise RuleViolation("住民票コードの検査用数字が一致しません。", field=field, code="check_digit")
    return code


# --------------------------------------------------------------------------- 宛名番号・世帯番号


def addressee_check_digit(body: str) -> int | None:
    """M11 check digit of a 宛名番号 or 世帯番号 body (standard-spec §2.6, §7.3).

    Weights 2..7 repeating from the rightmost body digit; r = sum mod 11; r = 0 → 0; otherwise
    11 − r. When r = 1 the result would be 10, which is not a digit; the spec text found is
    silent, so DECISION: such a body has no check digit (None) and is never issued — numbering
    skips it (next_addressee_number).
    """
    if not (isinstance(body, str) and body and body.isascii() and body.isdigit()):
        raise ValueError(f"body must be ASCII digits, got {body!r}")
    remainder = _weighted_sum_from_right(body) % 11
    if remainder == 0:
        return 0
    if remainder == 1:
        return None
    return 11 - remainder


def is_valid_addressee_number(value: str, length: int = 10) -> bool:
    """True for `length` ASCII digits whose last digit is the M11 check digit of the rest.

    A body that numbering skips (r = 1) and the all-zero body are never issued, so they are invalid.
    """
    if not _is_ascii_digits(value, length):
        return False
    body = value[:-1]
    if int(body) == 0:
        return False
    check = addressee_check_digit(body)
    return check is not None and check == int(value[-1])


def make_addressee_number(body: int, length: int = 10) -> str | None:
    """The full number for a body: zero-padded body (length − 1 digits) + check digit.

    None when the body is skipped (r = 1, see addressee_check_digit). Bodies start at 1.
    """
    if not 1 <= body < 10 ** (length - 1):
        raise ValueError(f"body must be between 1 and {10 ** (length - 1) - 1}, got {body}")
    body_text = str(body).zfill(length - 1)
    check = addressee_check_digit(body_text)
    if check is None:
        return None
    return f"{body_text}{check}"


def next_addressee_number(after_body: int, length: int = 10) -> tuple[int, str]:
    """The first body after `after_body` that can be issued, and its full number (§2.6: the body
    is a simple sequence; skipped bodies are passed over)."""
    body = max(after_body, 0) + 1
    while body < 10 ** (length - 1):
        number = make_addressee_number(body, length)
        if number is not None:
            return body, number
        body += 1
    raise RuleViolation(
        "宛名番号の採番範囲をすべて使い切りました。システム管理者に連絡してください。",
        code="numbering_exhausted",
    )


def validate_addressee_number(
    value, *, field: str = "addressee_number", label: str = "宛名番号", length: int = 10
) -> str:
    """A typed 宛名番号 (or 世帯番号, with label="世帯番号") as stored, or a RuleViolation.

    Only numbers issued under the M11 rule validate; the spec says the rule applies to new
    numbers only (§2.6), so migrated legacy numbers must not be passed through this check.
    """
    number = _clean(value)
    if not number:
        raise RuleViolation(f"{label}を入力してください。", field=field, code="required")
    if not _is_ascii_digits(number, length):
        raise RuleViolation(f"{label}は{length}桁の数字で入力してください。", field=field, code="invalid_format")
    if not is_valid_addressee_number(number, length):
        raise RuleViolation(f"{label}の検査用数字が一致しません。", field=field, code="check_digit")
    return number


# --------------------------------------------------------------------------- 在留カード番号

_RESIDENCE_CARD_NUMBER = re.compile(r"[A-Z]{2}[0-9]{8}[A-Z]{2}")


def validate_residence_card_number(value, *, field: str = "residence_card_number") -> str:
    """A 在留カード番号 (2 letters, 8 digits, 2 letters, e.g. AB12345678CD) as stored (§2.2).

    Full-width and lowercase input is accepted and stored in ASCII uppercase. The card number has
    no published check digit, so only the shape is checked.
    """
    number = _clean(value).upper()
    if not number:
        raise RuleViolation("在留カード番号を入力してください。", field=field, code="required")
    if not _RESIDENCE_CARD_NUMBER.fullmatch(number):
        raise RuleViolation(
            "在留カード番号は英字2文字・数字8桁・英字2文字の12文字（例: AB12345678CD）で入力してください。",
            field=field,
            code="invalid_format",
        )
    return number


# --------------------------------------------------------------------------- 全国地方公共団体コード


def municipality_code_check_digit(code5: str) -> int:
    """6th digit of a 全国地方公共団体コード (tooling.md §6): for digits abcde,
    r = (a·6 + b·5 + c·4 + d·3 + e·2) mod 11, check digit = (11 − r) mod 10.
    Example: 13101 → 131016 (千代田区)."""
    _require_digits(code5, 5, "code5")
    remainder = _weighted_sum_from_right(code5) % 11
    return (11 - remainder) % 10


def is_valid_municipality_code(code6: str) -> bool:
    """True for 6 ASCII digits whose last digit is the check digit of the first five."""
    if not _is_ascii_digits(code6, 6):
        return False
    return municipality_code_check_digit(code6[:5]) == int(code6[5])
