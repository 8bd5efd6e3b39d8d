"""一時解除: a user with the release right lets the restriction lapse for N minutes; afterwards it is enforced
again by itself (nothing is written when it reverts). Time is passed in, not read from the clock."""

from datetime import timedelta

import pytest
from django.utils import timezone

from conftest import actor
from jumin.audit.models import OperationLog
from jumin.core.errors import PermissionDenied
from jumin.restrictions.actions import do_release_restriction_temporarily
from jumin.restrictions.queries import Restricted, guard_view

from .conftest import restriction, state


def test_a_release_for_ten_minutes_reverts_by_itself(hanako, supervisor, clerk):
    r = restriction(supervisor, addressee_number=hanako.addressee_number, operation="view", level="error")
    t0 = timezone.now()
    do_release_restriction_temporarily(r.pk, actor=actor(supervisor), minutes=10, reason="本人来庁・本人確認済み", now=t0)
    release_log = OperationLog.objects.get(function="restriction.release")
    assert release_log.detail["minutes"] == 10 and release_log.reason == "本人来庁・本人確認済み"
    assert guard_view(actor(clerk), hanako.addressee_number, now=t0 + timedelta(minutes=9)) == []
    assert "一時解除中" in OperationLog.objects.get(function="restriction.check").reason
    before = state()
    with pytest.raises(Restricted):
        guard_view(actor(clerk), hanako.addressee_number, now=t0 + timedelta(minutes=10, seconds=1))
    assert state() == before


def test_a_clerk_may_not_release(hanako, supervisor, clerk):
    r = restriction(supervisor, addressee_number=hanako.addressee_number, operation="view", level="error")
    before = state()
    with pytest.raises(PermissionDenied):
        do_release_restriction_temporarily(r.pk, actor=actor(clerk), minutes=10, reason="急ぎ")
    assert state() == before
    assert OperationLog.objects.get(function="restriction.release").outcome == "refused"


def test_a_release_longer_than_an_hour_is_refused(hanako, supervisor, api_as):
    r = restriction(supervisor, addressee_number=hanako.addressee_number, operation="view", level="error")
    before = state()
    response = api_as(supervisor).post(f"/restrictions/{r.pk}/release", {"minutes": 61, "reason": "長時間"})
    assert response.status_code == 422 and response.json()["error"]["field"] == "minutes"
    assert state() == before
    assert OperationLog.objects.get(function="restriction.release").outcome == "refused"
