"""`jumin generate` never overwrites a register by accident: a rerun without --reset is refused."""

import pytest
from django.core.management import CommandError, call_command

from jumin.core.models import NumberSequence
from jumin.register.models import Change, Household, Resident, ResidentHistory


def _state():
    return (
        Resident.objects.count(), ResidentHistory.objects.count(), Change.objects.count(), Household.objects.count(),
        list(Resident.objects.order_by("id").values_list("addressee_number", "name", "version")),
        sorted(NumberSequence.objects.values_list("name", "last_body")),
    )


@pytest.fixture
def generated(single_step, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    call_command("generate", residents=40, removed=10, seed=5, no_progress=True)
    return _state()


def test_a_rerun_without_reset_is_refused_in_japanese_and_changes_nothing(generated):
    with pytest.raises(CommandError) as refused:
        call_command("generate", residents=40, removed=10, seed=5, no_progress=True)
    message = str(refused.value)
    assert "住民記録にすでにデータがあります" in message and "--reset" in message
    assert _state() == generated


def test_a_rerun_with_another_seed_is_refused_too(generated):
    with pytest.raises(CommandError):
        call_command("generate", residents=99, removed=0, seed=6, no_progress=True)
    assert _state() == generated


def test_resume_without_an_interrupted_run_is_refused(generated):
    with pytest.raises(CommandError) as refused:
        call_command("generate", residents=40, removed=10, seed=5, resume=True, no_progress=True)
    assert "再開できる生成処理が見つかりません" in str(refused.value)
    assert _state() == generated


def test_reset_replaces_the_register(generated):
    call_command("generate", residents=20, removed=0, seed=5, reset=True, no_progress=True)
    assert Resident.objects.count() == 20
    assert Resident.objects.order_by("id").first().addressee_number == "0000000019"   # numbering restarted
