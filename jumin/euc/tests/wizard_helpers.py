"""What the EUC screen tests share: a small synthetic 仙台市 (the register's generator, so the wards, towns and
ages are those of a real city), the register counted directly for comparison, and the wizard driven in Debian
chromium the way a new user would — by the labels on the screen."""

from collections import Counter
from datetime import date

from conftest import check_axe
from jumin.core.models import current_municipality
from jumin.register import choices as c
from jumin.register import synthetic
from jumin.register.queries import records_as_of
from jumin.register.rules import area_of

SEX_LABELS = dict(c.SEX_CHOICES)


def small_city(tmp_path, residents=400, removed=60, seed=16):
    """A 5-ward Sendai of a few hundred residents, each with a history (so "as of a date" means something)."""
    return synthetic.generate(synthetic.Options(residents=residents, removed=removed, seed=seed, state_dir=tmp_path))


def age_on(birth: date, day: date) -> int:
    return day.year - birth.year - ((birth.month, birth.day) > (day.month, day.day))


def direct_counts(day: date, ward: str, low: int, high: int) -> Counter:
    """(町丁, 性別 code) → persons: the register as of `day` read through the ORM, counted in Python — no EUC. A
    町丁 of a 指定都市 is named with its 区 (青葉区一番町四丁目), as the wizard's 町丁 is."""
    town = current_municipality()
    counts = Counter()
    for h in records_as_of(day).filter(status=c.RESIDENT):
        area = area_of(h.address_code, h.address, prefecture=town.prefecture, municipality=town.name)
        if area.ward_name == ward and h.birth_date and low <= age_on(h.birth_date, day) <= high:
            counts[(area.ward_name + area.town_name, h.sex)] += 1
    return counts


def choose(page, select, label):
    """Pick an option of a <select> by its Japanese label (as the user reads it)."""
    page.locator(select).select_option(label=label)


def next_step(page, heading):
    """「次へ」 and wait for the step's name in the heading."""
    page.get_by_role("button", name="次へ").last.click()
    page.wait_for_selector(f"h1:has-text('{heading}')")


def add_condition(page, n, item_label):
    """「条件を追加」, then the new row's 項目; htmx redraws the row with that item's 条件 and 値 (the row says which
    item it was drawn for in data-item)."""
    page.get_by_role("button", name="条件を追加").first.click()
    page.wait_for_selector(f"#f-w-{n}-item")
    select_and_wait(page, n, "item", item_label)


HTMX_IDLE = "() => !!window.htmx && !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling, .htmx-added')"


def select_and_wait(page, n, what, label):
    """Pick an option of a condition row's select, then wait for htmx to redraw the row with it. First the page's
    load event and htmx at rest: after a full page submit (「条件を追加」, a saved query opened) the row can be on
    screen before the deferred htmx script has bound its handlers, and a row just redrawn is in the DOM before htmx
    has settled it and bound its selects (the `htmx-settling`/`htmx-added` classes are on it until then) — a change
    made in either moment sends nothing (a person is never that fast; the browser on a busy CI machine is)."""
    page.wait_for_load_state("load")
    page.wait_for_function(HTMX_IDLE)
    page.locator(f"#f-w-{n}-{what}").select_option(label=label)
    value = page.locator(f"#f-w-{n}-{what}").evaluate("s => s.value")
    page.wait_for_selector(f"#f-w-{n}[data-{what}='{value}']")
    page.wait_for_function(HTMX_IDLE)


def check(desk, label, heading, found, disable=()):
    """axe-core on the page (conftest.check_axe), with a screenshot of every state checked, to look at."""
    check_axe(desk, label, heading, found, disable, shoot_every=True)
