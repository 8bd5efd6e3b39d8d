"""Issue #7 "Bad input": age 14; a second registration; a removed resident; an impression that is not an image,
is 50 MB, has no dpi and no scanner setting, is blank, or is out of size; an expired 回答書; a card reported lost.
Each is refused with a Japanese message, the refusal is in the operation log, and nothing else is written: the
register, the 原票, cards, 照会書, history, 交付履歴, 通番 and numbering stay exactly as they were."""

from datetime import timedelta

import pytest

from conftest import actor
from jumin.audit.models import REFUSED, OperationLog
from jumin.core.errors import RuleViolation
from jumin.register.actions import do_move_out
from jumin.seals.actions import do_answer_inquiry, do_register_seal, do_report_card_loss, do_send_inquiry
from jumin.seals.tests.conftest import (TODAY, at, blank_scan, certificate_request, in_person, issue, register,
                                        seal_scan, seal_state)


def refused(call, *, code, words, function):
    before = seal_state()
    logged = OperationLog.objects.filter(function=function, outcome=REFUSED).count()
    with pytest.raises(RuleViolation) as refusal:
        call()
    assert seal_state() == before
    assert refusal.value.code == code
    assert words in refusal.value.message
    assert any("\u3040" <= ch <= "\u30ff" for ch in refusal.value.message)   # written in Japanese
    assert OperationLog.objects.filter(function=function, outcome=REFUSED).count() == logged + 1
    return refusal.value


def registering(user, person, scan=None, **extra):
    return lambda: do_register_seal(in_person(person, **extra), impression=seal_scan() if scan is None else scan,
                                    actor=actor(user), now=at())


def test_age_14_is_refused(yamada, clerk):
    refusal = refused(registering(clerk, yamada["child"], seal_scan("一郎")), code="too_young", words="14歳",
                      function="seal.register")
    assert refusal.field == "addressee_number"


def test_a_second_registration_is_refused(yamada, clerk):
    first = register(clerk, yamada["head"])
    refused(registering(clerk, yamada["head"], seal_scan("太郎")), code="already_registered",
            words=first.registration_number, function="seal.register")


def test_a_removed_resident_is_refused(yamada, clerk):
    do_move_out({"household_number": yamada["household"], "members": [yamada["wife"].addressee_number],
                 "effective_on": "R8.11.1", "notified_on": "R8.11.1",
                 "destination": {"address": "東京都港区芝公園4丁目2番8号"}}, actor=actor(clerk))
    refused(registering(clerk, yamada["wife"], seal_scan("花子")), code="not_resident", words="除票",
            function="seal.register")


def test_a_file_that_is_not_an_image_is_refused(yamada, clerk):
    refused(registering(clerk, yamada["head"], "%PDF-1.7 これは画像ではありません".encode()), code="not_an_image",
            words="PNG または JPEG", function="seal.register")


def test_a_gif_is_refused_as_a_format_not_handled(yamada, clerk):
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (400, 400), "white").save(out, format="GIF")
    refused(registering(clerk, yamada["head"], out.getvalue()), code="format", words="GIF", function="seal.register")


def test_a_50_mb_file_is_refused_before_it_is_read(yamada, clerk):
    big = b"\x89PNG\r\n\x1a\n" + b"\0" * (50 * 1024 * 1024)
    refusal = refused(registering(clerk, yamada["head"], big), code="too_large", words="5MB以下",
                      function="seal.register")
    assert "50MB" in refusal.message and refusal.field == "impression"


def test_an_image_without_dpi_and_no_scanner_setting_is_refused(yamada, clerk):
    refused(registering(clerk, yamada["head"], seal_scan(save_dpi=False)), code="no_dpi", words="解像度",
            function="seal.register")


def test_a_blank_scan_is_refused(yamada, clerk):
    refused(registering(clerk, yamada["head"], blank_scan()), code="blank", words="白紙", function="seal.register")


def test_an_impression_inside_8_mm_is_refused(yamada, clerk):
    refused(registering(clerk, yamada["head"], seal_scan("山", mm=7.5)), code="too_small", words="8mm",
            function="seal.register")


def test_an_impression_over_25_mm_is_refused(yamada, clerk):
    refused(registering(clerk, yamada["head"], seal_scan("山田", mm=27, canvas_mm=40)), code="too_large_impression",
            words="25mm", function="seal.register")


def test_an_expired_reply_is_refused(yamada, clerk):
    inquiry = do_send_inquiry(in_person(yamada["head"], route="inquiry"), impression=seal_scan(), actor=actor(clerk),
                              now=at())
    late = at(inquiry.deadline_on + timedelta(days=1))
    refusal = refused(lambda: do_answer_inquiry(inquiry.inquiry_number, {
        "bearer": "self", "identity_document": "health_insurance", "reply_checked": True}, actor=actor(clerk),
        now=late), code="inquiry_expired", words="期限", function="seal.inquiry_answer")
    assert "令和8年12月6日" in refusal.message   # 2026-11-21 + 15 days


def test_a_card_reported_lost_gets_no_certificate(registered, clerk):
    registration, card = registered
    do_report_card_loss({"card_number": card.card_number, "reporter": "self"}, actor=actor(clerk), now=at())
    refused(lambda: issue(clerk, certificate_request(card.card_number)), code="card_lost", words="亡失",
            function="seal.certificate")


def test_a_mistyped_card_number_fails_its_check_digit(registered, clerk):
    registration, card = registered
    wrong = card.card_number[:-1] + str((int(card.card_number[-1]) + 1) % 10)
    refused(lambda: issue(clerk, certificate_request(wrong)), code="check_digit", words="検査用数字",
            function="seal.certificate")


def test_a_report_of_a_card_already_lost_is_refused(registered, clerk, seal_settings):
    seal_settings.loss_abolishes_registration = False
    seal_settings.save()
    registration, card = registered
    do_report_card_loss({"card_number": card.card_number}, actor=actor(clerk), now=at())
    refused(lambda: do_report_card_loss({"card_number": card.card_number}, actor=actor(clerk), now=at()),
            code="already_lost", words="亡失", function="seal.card_loss")


def test_the_day_used_is_the_day_of_the_request(yamada, clerk):
    """一郎 turns 15 on 2027-06-01: refused the day before, accepted that day."""
    from datetime import date

    refused(lambda: do_register_seal(in_person(yamada["child"]), impression=seal_scan("一郎"), actor=actor(clerk),
                                     now=at(date(2027, 5, 31))), code="too_young", words="14歳",
            function="seal.register")
    assert do_register_seal(in_person(yamada["child"]), impression=seal_scan("一郎"), actor=actor(clerk),
                            now=at(date(2027, 6, 1))).status == "active"
    assert TODAY < date(2027, 6, 1)
