"""The outbox beyond the register (issue #18 item 1): a 住登外者 registered or changed is an event with its items by
the dictionary's names (a 住登外者 hidden from other 業務 reaches only its own and those it names); a 支援措置 that
starts or ends is an event with the flag — to every 連携先, the number and the flag only, so a system holding the
person knows to restrict them — while the protected person's other events stay withheld from a 連携先 that does not
receive such persons; a 抑止 set or ended is an event, its 一時解除 never; an 印鑑登録 and its 廃止 are events. One
gap-free sequence for all of them; CS gets the register's events only."""


from conftest import _user, actor
from jumin.accounts import rules as perms
from jumin.addressees.actions import do_change_non_resident, do_register_non_resident
from jumin.addressees.tests.conftest import landowner
from jumin.linkage.models import LinkageEvent
from jumin.linkage.tests.test_a_tax_system_pulls_a_relocation_made_a_second_earlier import (MOVE, _feed, _register,
                                                                                             _token)
from jumin.register.actions import do_relocate
from jumin.register.models import Resident
from jumin.restrictions.actions import (do_end_protection, do_end_restriction, do_register_protection,
                                        do_release_restriction_temporarily, do_set_restriction)


def _events(token, after):
    return [e for e in _feed(token, after=after, limit=1000).json()["events"]]


def test_a_non_resident_is_an_event_and_one_hidden_from_other_businesses_reaches_only_its_own(family, clerk, admin):
    tax = _token(*_register("--business", "012", "--name", "固定資産税", "--items", "name,address"))
    welfare = _token(*_register("--business", "023", "--name", "国民健康保険", "--items", "name,address"))
    owner = do_register_non_resident(landowner(individual_number=""), actor=actor(clerk), business="012")
    hidden = do_register_non_resident(landowner(name="佐藤 花子", name_kana="サトウ ハナコ", individual_number="",
                                                other_business_hidden=True), actor=actor(clerk), business="012")
    do_change_non_resident(owner.addressee_number, {"address": {
        "kind": "domestic", "postcode": "1600023", "municipality_code": "131041", "address": "東京都新宿区西新宿一丁目1番1号"}},
        actor=actor(clerk))
    seen = _events(tax, 3)
    assert [(e["seq"], e["subject"], e["addressee_number"]) for e in seen] == [
        (4, "non_resident", owner.addressee_number), (5, "non_resident", hidden.addressee_number),
        (6, "non_resident", owner.addressee_number)]
    assert seen[0]["after"] == {"name": "山田 太郎", "address": "東京都新宿区西新宿二丁目8番1号"}
    assert seen[2]["changed"] == ["address"] and seen[2]["before"]["address"].startswith("東京都新宿区西新宿二丁目")
    other = _events(welfare, 3)
    assert other[1] == {**other[1], "seq": 5, "withheld": True} and "佐藤" not in str(other)


def test_protection_reaches_every_consumer_as_a_flag_and_hides_the_rest(family, clerk, supervisor, admin):
    plain = _token(*_register("--business", "010", "--name", "個人住民税", "--items", "name,address"))
    hanako = Resident.objects.get(name="山田 花子")
    order = do_register_protection({"addressee_number": hanako.addressee_number, "kind": "dv"}, actor=actor(supervisor))
    do_relocate({"household_number": hanako.household_number, **MOVE}, actor=actor(clerk))
    seen = _events(plain, 3)                                                 # read while she is protected
    flag = seen[0]
    assert (flag["subject"], flag["kind"], flag["addressee_number"], flag["restricted"], flag["after"]) == \
        ("flag", "flag.protection", hanako.addressee_number, True, {"支援措置": True})
    withheld = [e for e in seen[1:] if e["withheld"]]
    assert len(withheld) == 1 and "泉区" not in str(withheld)                 # 花子's 転居: the number only
    do_end_protection(order.pk, actor=actor(supervisor), reason="支援の必要がなくなったため")
    ended = _events(plain, seen[-1]["seq"])
    assert [(e["kind"], e["after"], e["restricted"]) for e in ended] == [("flag.protection", {"支援措置": False}, False)]
    assert [e["seq"] for e in seen + ended] == list(range(4, 4 + len(seen) + 1))   # one gap-free sequence


def test_a_restriction_is_sent_when_set_and_ended_never_when_released(family, supervisor, admin):
    feed = _token(*_register("--business", "010", "--name", "個人住民税", "--items", "name"))
    taro = Resident.objects.get(name="山田 太郎")
    _user("releaser", perms.SUPERVISOR, "解除 六郎")
    restriction = do_set_restriction({"addressee_number": taro.addressee_number, "operation": "issue",
                                      "level": "error", "reason": "警察からの依頼"}, actor=actor(supervisor))
    before = LinkageEvent.objects.count()
    do_release_restriction_temporarily(restriction.pk, actor=actor(supervisor), minutes=10, reason="本人確認のうえ交付")
    assert LinkageEvent.objects.count() == before                             # 一時解除: nothing (§4.6)
    do_end_restriction(restriction.pk, actor=actor(supervisor), reason="依頼の終了")
    flags = [(e["kind"], e["after"]) for e in _events(feed, 3)]
    assert flags == [("flag.restriction", {"抑止": True}), ("flag.restriction", {"抑止": False})]


def test_a_seal_registration_and_its_abolition_are_events_but_not_sent_to_cs(family, clerk, admin, tmp_path):
    from django.core.management import call_command

    from jumin.seals.actions import do_abolish_registration
    from jumin.seals.tests.conftest import at, register

    feed = _token(*_register("--business", "010", "--name", "個人住民税", "--items", "name"))
    registration = register(clerk, Resident.objects.get(name="山田 太郎"))
    do_abolish_registration({"registration_number": registration.registration_number, "applicant": "self",
                             "card_returned": True}, actor=actor(clerk), now=at())
    flags = [(e["kind"], e["reason_code"], e["after"]) for e in _events(feed, 3)]
    assert flags == [("flag.seal", "seal_registered", {"印鑑登録": True}),
                     ("flag.seal", "seal_abolished_request", {"印鑑登録": False})]
    call_command("linkage", "cs", "notices", "--out", str(tmp_path), "--user", "admin", stdout=__import__("io").StringIO())
    identity = next(p for p in tmp_path.glob("*_identity_*.csv") if "exceptions" not in p.name)
    assert len(identity.read_bytes().decode("utf-8-sig").splitlines()) == 2      # the header and 太郎's 転入 only
