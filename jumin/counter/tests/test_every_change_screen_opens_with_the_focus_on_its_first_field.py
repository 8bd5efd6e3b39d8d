"""Every change screen opens with the focus on its first input, so the clerk types at once (issue #15 item 10:
転居 and 死亡 opened with the focus nowhere). Debian chromium."""

import pytest

from jumin.counter.screens import SCREENS
from jumin.register.models import Resident

pytestmark = pytest.mark.django_db(transaction=True)

FIRST_FIELD = """() => {
  const scope = document.getElementById('change-form') || document.querySelector('main');
  const fields = Array.from(scope.querySelectorAll('input, select, textarea'))
    .filter(el => el.type !== 'hidden' && el.offsetParent !== null && !el.closest('details:not([open])'));
  return fields.length ? (fields[0].name || fields[0].id) : null;
}"""


def url_of(kind, screen, head, change_id):
    if screen.subject == "new":
        return f"/counter/changes/{kind}/"
    if screen.subject == "change":
        return f"/counter/changes/{kind}/?change={change_id}"
    if screen.subject in ("person", "removed"):
        return f"/counter/changes/{kind}/?person={head.addressee_number}&household={head.household_number}"
    return f"/counter/changes/{kind}/?household={head.household_number}"


def test_each_screen_focuses_its_first_input(family, clerk, screens):
    from jumin.register.models import Change

    head = Resident.objects.get(name="山田 太郎")
    change_id = Change.objects.get().pk
    desk = screens("focus-on-open")
    page = desk.login("clerk")
    unfocused = {}                                   # kind → (its first input, where the focus is)
    for kind, screen in SCREENS.items():
        if screen.subject == "removed":
            continue                                  # opens from a 除票; the family is living
        desk.go(url_of(kind, screen, head, change_id))
        page.wait_for_load_state("load")
        page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")  # autofocus ran
        first = page.evaluate(FIRST_FIELD)
        active = page.evaluate("document.activeElement.name || document.activeElement.id || document.activeElement.tagName")
        if first is None or active != first:
            unfocused[kind] = (first, active)
    assert unfocused == {}
