"""The 抑止's end date passing does not lift it: it is still enforced, with an 'expired' alert to decide."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from conftest import actor
from jumin.restrictions.queries import Restricted, guard_change, guard_view, restriction_flags

from .conftest import restriction


def test_an_error_restriction_past_its_end_date_still_refuses(hanako, supervisor, clerk):
    restriction(supervisor, addressee_number=hanako.addressee_number, operation="view", level="error",
                starts_on="2024-01-01", ends_on="2024-12-31")
    with pytest.raises(Restricted):
        guard_view(actor(clerk), hanako.addressee_number)
    flags = restriction_flags([hanako.addressee_number])[hanako.addressee_number]
    assert flags[0]["alert"] == "expired"


def test_an_alert_restriction_past_its_end_date_still_alerts_and_says_it_expired(hanako, supervisor, clerk):
    yesterday = timezone.localdate() - timedelta(days=1)
    r = restriction(supervisor, addressee_number=hanako.addressee_number, operation="change", level="alert",
                    starts_on="2024-01-01", ends_on=yesterday.isoformat())
    codes = [a.code for a in guard_change(actor(clerk), [hanako.addressee_number])]
    assert codes == [f"restricted_change_{r.pk}", f"restriction_expired_{r.pk}"]


def test_a_protection_past_its_end_is_still_enforced_with_the_expired_alert(hanako, supervisor, clerk, viewer):
    from jumin.restrictions.actions import do_register_protection

    do_register_protection({"addressee_number": hanako.addressee_number, "kind": "dv", "starts_on": "2023-04-01"},
                           actor=actor(supervisor), today=date(2023, 4, 1))
    with pytest.raises(Restricted):
        guard_view(actor(viewer), hanako.addressee_number)
    assert "protection_expired" in [a.code for a in guard_view(actor(clerk), hanako.addressee_number)]
