"""The file linkage on its schedule (issue #18 item 4; 住民記録 §7: differences at least every 10 minutes, the full
nightly): `jumin linkage schedule` writes each file 連携先's differences every cycle and, once a day after the set
time, its full data; the nightly rule is a pure function; a bad time or interval is refused."""

import io
from datetime import date, datetime

import pytest
from django.core.management import CommandError, call_command

from jumin.linkage import rules
from jumin.linkage.models import LinkageRun
from jumin.linkage.tests.test_a_tax_system_pulls_a_relocation_made_a_second_earlier import _register


def test_the_full_is_due_once_a_day_after_its_time():
    at = datetime(2026, 12, 4, 2, 20)
    assert rules.full_due(at, last_full_day=None, full_at="02:15")
    assert rules.full_due(at, last_full_day=date(2026, 12, 3), full_at="02:15")
    assert not rules.full_due(at, last_full_day=date(2026, 12, 4), full_at="02:15")          # done today
    assert not rules.full_due(datetime(2026, 12, 4, 2, 10), last_full_day=None, full_at="02:15")  # not yet


def test_one_cycle_writes_the_differences_and_the_days_full(family, admin, tmp_path):
    client_id, _ = _register("--business", "010", "--name", "個人住民税", "--items", "name", "--methods", "file",
                             "--directory", str(tmp_path))
    out = io.StringIO()
    call_command("linkage", "schedule", "--once", "--full-at", "00:00", stdout=out, stderr=io.StringIO())
    kinds = sorted(LinkageRun.objects.filter(ok=True).values_list("kind", flat=True))
    assert kinds == ["differential", "full"] and "3 行" in out.getvalue()
    call_command("linkage", "schedule", "--once", "--full-at", "00:00", stdout=io.StringIO(), stderr=io.StringIO())
    assert LinkageRun.objects.filter(kind="full").count() == 1                 # once a day


@pytest.mark.parametrize("args, message", [(["--full-at", "25:00"], "HH:MM"), (["--every", "1"], "10秒以上")])
def test_a_bad_time_or_interval_is_refused(municipality, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("linkage", "schedule", "--once", *args)
