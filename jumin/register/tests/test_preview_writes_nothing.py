"""The confirmation screen's preview runs every rule but never writes (standard-spec §3.1 確認用帳票)."""

import pytest

from conftest import actor, family_params, register_state
from jumin.core.errors import RuleViolation
from jumin.register.actions import preview_change


def test_a_preview_shows_the_plan_and_leaves_the_register_unchanged(single_step, clerk):
    before = register_state()
    plan = preview_change("move_in", family_params(), actor=actor(clerk))
    assert [p.items["name"] for p in plan.new_people] == ["山田 太郎", "山田 花子", "山田 一郎"]
    assert plan.summary.startswith("全部転入 3人")
    assert register_state() == before


def test_a_preview_refuses_what_the_change_would_refuse(single_step, clerk):
    params = family_params()
    params["members"][0]["relationship"] = "孫"
    with pytest.raises(RuleViolation) as refused:
        preview_change("move_in", params, actor=actor(clerk))
    assert refused.value.field == "members[0].relationship"
