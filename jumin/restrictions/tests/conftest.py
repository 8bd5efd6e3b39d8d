"""Fixtures for 支援措置・抑止: a supervisor, a protected 山田 花子 (DV, offender 佐藤 健二), and a state helper
that covers these tables as well as the register, for checking that a refusal wrote nothing."""

import pytest

from conftest import _user, actor, register_state
from jumin.accounts import rules as roles
from jumin.register.models import Resident

OFFENDER = {"name": "佐藤 健二", "name_kana": "サトウ ケンジ", "birth_date": "1975-01-01", "sex": "1",
            "address": "東京都千代田区千代田2番2号"}


@pytest.fixture
def supervisor(db):
    return _user("supervisor", roles.SUPERVISOR, "支援 五郎")


@pytest.fixture
def hanako(family):
    return Resident.objects.get(name="山田 花子")


@pytest.fixture
def protection(hanako, supervisor):
    from jumin.restrictions.actions import do_register_protection

    return do_register_protection({"addressee_number": hanako.addressee_number, "kind": "dv",
                                   "offenders": [OFFENDER]}, actor=actor(supervisor))


def restriction(supervisor, **params):
    from jumin.restrictions.actions import do_set_restriction

    return do_set_restriction({"reason": "警察からの依頼", **params}, actor=actor(supervisor))


def state():
    """register_state() plus every 支援措置・抑止 row."""
    from jumin.restrictions import models as m

    out = register_state()
    out["orders"] = list(m.ProtectionOrder.objects.order_by("pk").values_list("pk", "status", "ends_on", "version"))
    out["order_history"] = m.ProtectionHistory.objects.count()
    out["offenders"] = m.Offender.objects.count()
    out["protected_persons"] = m.ProtectedPerson.objects.count()
    out["restrictions"] = list(m.Restriction.objects.order_by("pk").values_list("pk", "ended_on", "released_until",
                                                                                "version"))
    return out
