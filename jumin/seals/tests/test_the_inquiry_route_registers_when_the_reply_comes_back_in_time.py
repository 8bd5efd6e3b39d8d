"""照会書・回答書方式 (standard-spec §5.3): the application (also by a 代理人 with 委任状) measures the seal and
mails a 照会書; the 回答書 brought back by the deadline (default 15 days, a municipal setting) registers it.
After the deadline the inquiry has lapsed and the reply is refused."""

from datetime import timedelta

import pytest

from conftest import actor
from jumin.audit.models import OK, OperationLog
from jumin.core.errors import RuleViolation
from jumin.seals.actions import do_answer_inquiry, do_send_inquiry
from jumin.seals.models import SealRegistration
from jumin.seals.queries import inquiry_dict, inquiry_letter
from jumin.seals.tests.conftest import TODAY, at, in_person, pdf_text, seal_scan, seal_state

REPLY = {"bearer": "self", "identity_document": "health_insurance", "reply_checked": True}


def send(clerk, person, scan=None, **extra):
    params = in_person(person, route="inquiry", identity_document="")
    params.update(extra)
    return do_send_inquiry(params, impression=scan or seal_scan(), actor=actor(clerk), now=at())


def test_an_agent_with_a_letter_of_attorney_applies_and_the_reply_registers_the_seal(yamada, clerk):
    inquiry = send(clerk, yamada["head"], applicant="agent", agent_name="代理 次郎", agent_letter=True)
    assert inquiry.deadline_on == TODAY + timedelta(days=15)
    assert inquiry_dict(inquiry, today=TODAY)["status"] == "sent"
    assert not SealRegistration.objects.exists()   # nothing is registered until the reply comes back

    registration = do_answer_inquiry(inquiry.inquiry_number, REPLY, actor=actor(clerk), now=at(inquiry.deadline_on))

    assert registration.route == "inquiry" and registration.applicant == "agent"
    assert registration.agent_name == "代理 次郎" and registration.agent_letter
    assert registration.impression_sha256 == inquiry.impression_sha256
    assert registration.cards.get().status == "valid"
    inquiry.refresh_from_db()
    assert inquiry.status == "answered" and inquiry.answered_on == inquiry.deadline_on
    assert OperationLog.objects.filter(function="seal.inquiry_send", outcome=OK).count() == 1
    assert OperationLog.objects.filter(function="seal.inquiry_answer", outcome=OK).count() == 1


def test_the_letter_names_the_person_the_number_and_the_deadline(yamada, clerk, mayor):
    inquiry = send(clerk, yamada["head"])
    text = pdf_text(inquiry_letter(inquiry.inquiry_number, actor=actor(clerk)))
    assert "印鑑登録照会書" in text and "回答書" in text
    assert "山田 太郎" in text and inquiry.inquiry_number in text
    assert "令和8年12月6日" in text
    assert "宮城県仙台市青葉区一番町四丁目7番17号" in text


def test_the_deadline_follows_the_municipal_setting(yamada, clerk, seal_settings):
    seal_settings.inquiry_deadline_days = 20
    seal_settings.save()
    assert send(clerk, yamada["head"]).deadline_on == TODAY + timedelta(days=20)


def test_a_reply_the_day_after_the_deadline_is_refused_and_the_inquiry_shows_lapsed(yamada, clerk):
    inquiry = send(clerk, yamada["head"])
    day_after = inquiry.deadline_on + timedelta(days=1)
    before = seal_state()
    with pytest.raises(RuleViolation) as refusal:
        do_answer_inquiry(inquiry.inquiry_number, REPLY, actor=actor(clerk), now=at(day_after))
    assert refusal.value.code == "inquiry_expired" and seal_state() == before
    assert inquiry_dict(inquiry, today=day_after)["status"] == "lapsed"


def test_a_lapsed_inquiry_does_not_block_a_new_application(yamada, clerk):
    old = send(clerk, yamada["head"])
    later = at(old.deadline_on + timedelta(days=1))
    params = in_person(yamada["head"], route="inquiry", identity_document="")
    assert do_send_inquiry(params, impression=seal_scan(), actor=actor(clerk), now=later).inquiry_number != \
        old.inquiry_number


def test_an_open_inquiry_blocks_a_second_one(yamada, clerk):
    send(clerk, yamada["head"])
    before = seal_state()
    with pytest.raises(RuleViolation) as refusal:
        send(clerk, yamada["head"])
    assert refusal.value.code == "inquiry_open" and seal_state() == before


def test_an_agent_bringing_the_reply_needs_the_letter_of_attorney(yamada, clerk):
    inquiry = send(clerk, yamada["head"])
    before = seal_state()
    with pytest.raises(RuleViolation) as refusal:
        do_answer_inquiry(inquiry.inquiry_number, {**REPLY, "bearer": "agent", "agent_name": "代理 次郎"},
                          actor=actor(clerk), now=at())
    assert refusal.value.field == "agent_letter" and seal_state() == before
    registration = do_answer_inquiry(inquiry.inquiry_number, {**REPLY, "bearer": "agent", "agent_name": "代理 次郎",
                                                              "agent_letter": True}, actor=actor(clerk), now=at())
    assert registration.events.get(action="registered").detail["bearer"] == "agent"


def test_a_reply_is_accepted_once(yamada, clerk):
    inquiry = send(clerk, yamada["head"])
    do_answer_inquiry(inquiry.inquiry_number, REPLY, actor=actor(clerk), now=at())
    with pytest.raises(RuleViolation) as refusal:
        do_answer_inquiry(inquiry.inquiry_number, REPLY, actor=actor(clerk), now=at())
    assert refusal.value.code == "answered"


def test_eligibility_is_checked_again_when_the_reply_comes(yamada, clerk):
    """The applicant registered by another route meanwhile: the reply is refused as a second registration."""
    from jumin.seals.tests.conftest import register

    inquiry = send(clerk, yamada["head"])
    register(clerk, yamada["head"], seal_scan("太郎"))
    with pytest.raises(RuleViolation) as refusal:
        do_answer_inquiry(inquiry.inquiry_number, REPLY, actor=actor(clerk), now=at())
    assert refusal.value.code == "already_registered"
