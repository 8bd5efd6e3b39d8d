"""支援措置 periods and 抑止 levels (standard-spec §2.9, §8.1). Pure: no Django, no clock.

Every function takes `today` / `now` from its caller, so the enforcement can be tested at any date.
- A 支援措置 lasts 1 year from its start by default (end = start + 1 year − 1 day, editable).
- It may be extended from 1 month before its end, for 1 year from the day after the old end.
- The screens alert in the last month ('ending_soon') and after the end while it has not been ended
  ('expired'): the end date passing does not end anything by itself.
- A 抑止 is in force from its start until someone ends it (ended_on); its own end date passing only
  raises the 'expired' alert. A temporary release (一時解除) is a time in the future until which the
  抑止 is not enforced; once that time passes, it is enforced again without anyone doing anything.
"""

from datetime import date, datetime, timedelta

from jumin.core.errors import RuleViolation

ERROR = "error"
ALERT = "alert"
ENDING_SOON = "ending_soon"
EXPIRED = "expired"
MAX_RELEASE_MINUTES = 60


def add_years(day: date, years: int) -> date:
    """The same day `years` later; 29 February becomes 28 February in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def add_months(day: date, months: int) -> date:
    """The same day `months` later (or earlier), clamped to the end of a shorter month."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    for d in (day.day, 30, 29, 28):
        try:
            return date(year, month, d)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def default_end(starts_on: date) -> date:
    """支援措置期間の終了日の既定値: 開始日から1年（開始日 + 1年 − 1日）."""
    return add_years(starts_on, 1) - timedelta(days=1)


def check_period(starts_on: date, ends_on: date) -> None:
    if ends_on < starts_on:
        raise RuleViolation("終了日は開始日以降の日付を入力してください。", field="ends_on", code="invalid_period")


def extension_opens_on(ends_on: date) -> date:
    """延長の受付開始日: 終了日の1か月前."""
    return add_months(ends_on, -1)


def extended_end(ends_on: date) -> date:
    """延長後の終了日: 旧終了日の翌日から1年."""
    return default_end(ends_on + timedelta(days=1))


def check_extension(ends_on: date, *, today: date) -> date:
    """The new end date, or a refusal before the extension window opens."""
    opens = extension_opens_on(ends_on)
    if today < opens:
        raise RuleViolation(
            f"支援措置の延長は終了日（{ends_on.isoformat()}）の1か月前（{opens.isoformat()}）から受け付けられます。"
            "その日以降に延長してください。", field="ends_on", code="too_early_to_extend")
    return extended_end(ends_on)


def alert_state(ends_on: date | None, *, today: date) -> str | None:
    """'ending_soon' in the last month, 'expired' after the end (while not ended), otherwise None."""
    if ends_on is None:
        return None
    if today > ends_on:
        return EXPIRED
    if today >= extension_opens_on(ends_on):
        return ENDING_SOON
    return None


def in_force(starts_on: date, ended_on: date | None, *, today: date) -> bool:
    """In force from its start until ended on purpose; an end date passing does not end it."""
    return starts_on <= today and (ended_on is None or ended_on > today)


def released(released_until: datetime | None, *, now: datetime) -> bool:
    """A temporary release holds only while its time lies in the future: it reverts by itself."""
    return released_until is not None and released_until > now


def resolve_level(levels) -> str | None:
    """The strongest level among the 抑止 that apply: error beats alert."""
    levels = set(levels)
    if ERROR in levels:
        return ERROR
    if ALERT in levels:
        return ALERT
    return None


def check_release_minutes(minutes) -> int:
    if isinstance(minutes, bool) or not isinstance(minutes, int) or not 1 <= minutes <= MAX_RELEASE_MINUTES:
        raise RuleViolation(f"一時解除の時間は1〜{MAX_RELEASE_MINUTES}分の整数で指定してください。", field="minutes",
                            code="invalid_minutes")
    return minutes
