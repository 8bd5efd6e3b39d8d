"""The pure certificate rules (standard-spec §4.2): who may get which items, fees, numbers, codes, fitting."""

from datetime import date

import pytest

from jumin.certificates import rules
from jumin.core.errors import RuleViolation


def request(**kw):
    base = dict(kind="resident_copy", layout="household", requester_kind="self", requester_name="山田 太郎",
                identity_check="my_number_card", purpose="", options={}, copies=1)
    return rules.Request(**(base | kw))


def test_the_municipality_default_applies_unless_the_requester_asks_otherwise():
    kind = rules.KINDS["resident_copy"]
    defaults = rules.DEFAULT_OPTIONS | {"domicile": False}
    assert rules.resolve_options(kind, "self", {}, defaults)["domicile"] is False
    assert rules.resolve_options(kind, "self", {"domicile": True}, defaults)["domicile"] is True
    assert rules.resolve_options(kind, "self", {"head_relationship": False}, defaults)["head_relationship"] is False


@pytest.mark.parametrize("item", ["individual_number", "resident_code"])
def test_a_third_party_can_never_get_the_numbers(item):
    kind = rules.KINDS["resident_copy"]
    with pytest.raises(RuleViolation) as refusal:
        rules.resolve_options(kind, "third_party", {item: True}, rules.DEFAULT_OPTIONS)
    assert "第三者" in refusal.value.message and refusal.value.field == f"options.{item}"
    # …and a municipality default that prints them does not leak to a third party either
    assert rules.resolve_options(kind, "third_party", {}, rules.DEFAULT_OPTIONS | {item: True})[item] is False


def test_an_unknown_option_is_refused():
    with pytest.raises(RuleViolation):
        rules.resolve_options(rules.KINDS["resident_copy"], "self", {"blood_type": True}, rules.DEFAULT_OPTIONS)


@pytest.mark.parametrize("changes, field", [
    ({"kind": "nonsense"}, "kind"),
    ({"layout": "individual", "kind": "move_out"}, "layout"),
    ({"requester_kind": "neighbour"}, "requester.kind"),
    ({"requester_name": "  "}, "requester.name"),
    ({"identity_check": ""}, "identity_check"),
    ({"requester_kind": "third_party"}, "purpose"),
    ({"requester_kind": "agent", "purpose": "相続手続"}, "agent_letter"),
    ({"options": {"individual_number": True}}, "purpose"),
    ({"copies": 0}, "copies"),
    ({"copies": 21}, "copies"),
    ({"reissue": True}, "reissue"),
])
def test_an_incomplete_request_is_refused_at_the_right_field(changes, field):
    with pytest.raises(RuleViolation) as refusal:
        rules.check_request(request(**changes))
    assert refusal.value.field == field


def test_official_requests_are_free_and_others_pay_per_copy():
    fees = rules.DEFAULT_FEES
    assert rules.fee_for("resident_copy", 3, "self", fees) == 900
    assert rules.fee_for("resident_copy", 3, "official", fees) == 0
    assert rules.fee_for("move_out", 1, "self", fees) == 0
    assert rules.fee_for("resident_copy", 1, "self", {"resident_copy": 350}) == 350


def test_the_issue_number_follows_the_spec_format():
    assert rules.issue_number(date(2020, 5, 2), "●●市", "本庁1", "プリンタ001", 11, 1, 2) == \
        "20200502 ●●市 本庁1 プリンタ001 011 1/2"


def test_a_verification_code_survives_retyping_and_catches_a_typo():
    code = rules.new_verification_code(bytes(range(8)))
    assert rules.normalise_code(code) == code
    assert rules.normalise_code(code.lower().replace("-", " ")) == code
    typo = ("B" if code[0] != "B" else "C") + code[1:]
    assert rules.normalise_code(typo) is None
    assert rules.normalise_code("") is None and rules.normalise_code("ABC") is None


def test_persons_go_four_to_a_household_sheet_and_one_to_an_individual_sheet():
    assert [len(s) for s in rules.sheets(list(range(9)), rules.HOUSEHOLD)] == [4, 4, 1]
    assert [len(s) for s in rules.sheets(list(range(2)), rules.INDIVIDUAL)] == [1, 1]


def test_text_shrinks_to_fit_and_overflows_below_the_minimum():
    short = rules.Line("住所", "仙台市青葉区", "address", 40, 2)
    assert rules.fit(short) == 1.0
    long_one_line = rules.Line("生年月日", "あ" * 14, "birth_date", 12, 1)
    assert rules.MIN_SCALE <= rules.fit(long_one_line) < 1.0
    assert rules.fit(rules.Line("住所", "あ" * 200, "address", 40, 2)) is None
    assert rules.text_width("ABCD") == 2.0 and rules.text_width("葛\U000E0102") == 1.0


def test_the_content_digest_changes_when_one_character_changes():
    a = {"persons": [{"lines": [["氏名", "山田 太郎"]]}]}
    b = {"persons": [{"lines": [["氏名", "山田 大郎"]]}]}
    assert rules.content_digest(a) != rules.content_digest(b)
    assert rules.content_digest(a) == rules.content_digest({"persons": [{"lines": [["氏名", "山田 太郎"]]}]})


def test_the_seal_certificate_is_issued_only_from_the_seal_screens():
    with pytest.raises(RuleViolation) as refusal:
        rules.check_request(request(kind="seal_certificate", layout="individual"))
    assert "印鑑登録" in refusal.value.message and refusal.value.field == "kind"
