"""登録の廃止 (standard-spec §5.5) on request of the registrant or a 代理人 with 委任状: the card is handed back,
no certificate is issued any more, and the abolished 原票 is kept with date and reason for the municipality's
retention period (default 5 years), after which `jumin purge_seal_registrations` removes it."""

from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command

from conftest import actor
from jumin.audit.models import OK, OperationLog
from jumin.core.errors import RuleViolation
from jumin.seals.actions import do_abolish_registration, do_purge_expired_registrations
from jumin.seals.models import SealCard, SealEvent, SealRegistration
from jumin.seals.tests.conftest import TODAY, at, certificate_request, issue, register, seal_scan, seal_state


def abolish(clerk, registration, **extra):
    params = {"registration_number": registration.registration_number, "applicant": "self", "card_returned": True}
    params.update(extra)
    return do_abolish_registration(params, actor=actor(clerk), now=at())


def test_the_registrant_abolishes_and_hands_back_the_card(registered, clerk):
    registration, card = registered
    abolish(clerk, registration)
    registration.refresh_from_db()
    card.refresh_from_db()
    assert (registration.status, registration.abolition_reason, registration.abolished_on) == \
        ("abolished", "request", TODAY)
    assert registration.retain_until == date(2031, 11, 21)
    assert card.status == "returned"
    assert OperationLog.objects.filter(function="seal.abolish", outcome=OK).exists()
    with pytest.raises(RuleViolation) as refusal:
        issue(clerk, certificate_request(card.card_number))
    assert refusal.value.code == "registration_abolished"


def test_after_abolition_a_new_seal_may_be_registered(registered, yamada, clerk):
    registration, _ = registered
    abolish(clerk, registration)
    assert register(clerk, yamada["head"], seal_scan("太郎")).status == "active"
    assert SealRegistration.objects.filter(addressee_number=yamada["head"].addressee_number).count() == 2


def test_an_agent_needs_a_letter_of_attorney(registered, clerk):
    registration, _ = registered
    before = seal_state()
    with pytest.raises(RuleViolation) as refusal:
        abolish(clerk, registration, applicant="agent", agent_name="代理 次郎")
    assert refusal.value.field == "agent_letter" and seal_state() == before
    abolish(clerk, registration, applicant="agent", agent_name="代理 次郎", agent_letter=True)


def test_an_abolished_registration_cannot_be_abolished_again(registered, clerk):
    registration, _ = registered
    abolish(clerk, registration)
    with pytest.raises(RuleViolation) as refusal:
        abolish(clerk, registration)
    assert refusal.value.code == "registration_abolished"


def test_the_record_is_kept_five_years_then_purged(registered, yamada, clerk):
    registration, _ = registered
    abolish(clerk, registration)
    active = register(clerk, yamada["head"], seal_scan("太郎"))

    assert do_purge_expired_registrations(today=date(2031, 11, 21)) == 0     # the last day kept
    assert SealRegistration.objects.filter(pk=registration.pk).exists()
    out = StringIO()
    from unittest import mock

    with mock.patch("django.utils.timezone.localdate", return_value=date(2031, 11, 22)):
        call_command("purge_seal_registrations", stdout=out)
    assert "removed 1" in out.getvalue()
    assert not SealRegistration.objects.filter(pk=registration.pk).exists()
    assert not SealCard.objects.filter(registration_id=registration.pk).exists()
    assert not SealEvent.objects.filter(registration_id=registration.pk).exists()
    assert SealRegistration.objects.get(pk=active.pk).status == "active"          # never an active one
    assert OperationLog.objects.get(function="seal.purge").detail["removed"] == [registration.registration_number]


def test_the_retention_period_is_a_municipal_setting(registered, clerk, seal_settings):
    seal_settings.retention_years = 10
    seal_settings.save()
    registration, _ = registered
    abolish(clerk, registration)
    registration.refresh_from_db()
    assert registration.retain_until == date(2036, 11, 21)
