"""`jumin generate` builds a small Sendai whose register is as consistent as one the real actions wrote."""

import re
from collections import Counter, defaultdict
from datetime import date

import pytest

from conftest import actor
from jumin.core import check_digits
from jumin.core.models import ADDRESSEE, HOUSEHOLD, NumberSequence
from jumin.core.text import validate_kana
from jumin.register import choices as c
from jumin.register import synthetic
from jumin.register.item_rules import check_non_blank
from jumin.register.models import ITEM_FIELDS, Change, Household, Resident, ResidentHistory
from jumin.register.rules import HEAD, MemberForOrder, is_valid_relationship, standard_household_order

RESIDENTS, REMOVED = 300, 100
IVS = re.compile("[\U000E0100-\U000E01EF]")


def _generate(tmp_path, **kw):
    options = synthetic.Options(residents=kw.pop("residents", RESIDENTS), removed=kw.pop("removed", REMOVED),
                                seed=kw.pop("seed", 7), state_dir=tmp_path, **kw)
    return synthetic.generate(options)


def _dump():
    """Everything generated, in a comparable form (ids included)."""
    residents = list(Resident.objects.order_by("id").values_list("id", *ITEM_FIELDS, "household_id", "history_number",
                                                                 "version", "updated_at"))
    history = list(ResidentHistory.objects.order_by("id").values_list(
        "id", *ITEM_FIELDS, "history_number", "change_id", "reason_code", "effective_on", "processed_on",
        "recorded_at"))
    changes = list(Change.objects.order_by("id").values_list("id", "kind", "status", "effective_on", "notified_on",
                                                             "processed_on", "summary", "params", "result", "version"))
    households = list(Household.objects.order_by("id").values_list("id", "household_number", "version", "created_at"))
    return residents, history, changes, households


@pytest.fixture
def city(single_step, tmp_path):
    summary = _generate(tmp_path)
    return summary


def test_counts_are_what_was_asked(city):
    assert Resident.objects.filter(status=c.RESIDENT).count() == RESIDENTS
    assert Resident.objects.filter(status=c.REMOVED).count() == REMOVED
    assert city["residents"] == RESIDENTS and city["removed"] == REMOVED
    assert not NumberSequence.objects.filter(name=synthetic.PROGRESS_SEQUENCE).exists()


def test_every_living_household_has_one_head_and_its_name(city):
    by_household = defaultdict(list)
    for r in Resident.objects.filter(status=c.RESIDENT):
        by_household[r.household_id].append(r)
    assert len(by_household) > RESIDENTS / 4
    sizes = Counter(len(m) for m in by_household.values())
    assert sizes[1] > sizes[4] > 0                        # census-like: singles most common
    for members in by_household.values():
        heads = [m for m in members if m.relationship == HEAD]
        assert len(heads) == 1
        assert all(m.head_name == heads[0].name for m in members)
        assert len({m.household_number for m in members}) == 1
        assert len({(m.address, m.address_supplement, m.postcode) for m in members}) == 1
        ordered = sorted(members, key=lambda m: m.household_order)
        assert [m.addressee_number for m in ordered] == standard_household_order(
            [MemberForOrder(m.addressee_number, m.relationship, m.birth_date) for m in members])


def test_relationships_numbers_and_kana_follow_the_rules(city):
    rows = list(Resident.objects.all()) + list(ResidentHistory.objects.all())
    assert all(is_valid_relationship(r.relationship) for r in rows)
    assert {"世帯主", "妻", "子"} <= {r.relationship for r in rows}
    for r in rows:
        assert check_digits.is_valid_addressee_number(r.addressee_number)
        assert check_digits.is_valid_addressee_number(r.household_number)
        assert validate_kana(r.name_kana, field="name_kana", label="フリガナ") == r.name_kana
        assert r.name_kana.count("\u3000") >= 1
    for h in Household.objects.all():
        assert check_digits.is_valid_addressee_number(h.household_number)
    people = list(Resident.objects.all())
    numbers = [p.individual_number for p in people if p.individual_number]
    codes = [p.resident_code for p in people if p.resident_code]
    assert len(numbers) == len(set(numbers)) and len(codes) == len(set(codes))
    assert all(check_digits.is_valid_individual_number(n) and n.startswith("99") for n in numbers)
    assert all(check_digits.is_valid_resident_code(n) and n.startswith("99") for n in codes)
    living = [p for p in people if p.status == c.RESIDENT]
    assert all(p.individual_number and p.resident_code for p in living)
    assert len({p.addressee_number for p in people}) == len(people)


def test_living_records_have_the_required_items_and_plausible_flags(city):
    today = synthetic.AS_OF_DEFAULT
    living = list(Resident.objects.filter(status=c.RESIDENT))
    for p in living:
        check_non_blank({name: getattr(p, name) for name in ITEM_FIELDS})
        assert p.address.startswith("宮城県仙台市") and p.postcode.startswith("98")
        assert len(p.address_code) == 11 and p.address_code.startswith("041")
        age = today.year - p.birth_date.year - ((today.month, today.day) < (p.birth_date.month, p.birth_date.day))
        assert p.late_elderly_member == (age >= 75)
        assert p.long_term_care_member == (age >= 65)
        assert not (p.nhi_member and p.late_elderly_member)
        if p.pension_member:
            assert 20 <= age < 60 and p.pension_category in ("1", "3")
        if p.electoral_roll:
            assert p.resident_type == c.JAPANESE and age >= 18
    japanese = [p for p in living if p.resident_type == c.JAPANESE]
    assert all(p.domicile_status in (c.DOMICILE_RECORDED, c.DOMICILE_UNKNOWN) for p in japanese)
    assert sum(p.address_supplement != "" for p in living) > 0
    assert any(p.electoral_roll for p in japanese) and any(p.long_term_care_member for p in living)


def test_foreign_residents_carry_the_article_30_45_items(single_step, tmp_path):
    _generate(tmp_path, residents=3000, removed=300)
    foreign = list(Resident.objects.filter(resident_type=c.FOREIGN, status=c.RESIDENT))
    share = len(foreign) / 3000
    assert 0.01 < share < 0.06
    for p in foreign:
        assert p.nationality and p.name_alphabet and not p.domicile and p.article_30_45
        if p.article_30_45 == c.MID_LONG_TERM:
            assert p.residence_status and p.period_of_stay and p.period_expires_on > synthetic.AS_OF_DEFAULT
            assert check_digits.validate_residence_card_number(p.residence_card_number) == p.residence_card_number
        else:
            assert p.article_30_45 == c.SPECIAL_PERMANENT and len(p.special_permanent_certificate_number) == 12
        assert p.foreign_resident_since >= date(2012, 7, 9)
    cards = [p.residence_card_number for p in foreign if p.residence_card_number]
    assert len(cards) == len(set(cards))
    for p in Resident.objects.filter(resident_type=c.FOREIGN, status=c.REMOVED):
        assert p.foreign_resident_since >= date(2012, 7, 9) and p.removed_on > p.foreign_resident_since
        assert not p.domicile and p.nationality


def test_every_record_is_its_latest_snapshot(city):
    snapshots = defaultdict(list)
    for s in ResidentHistory.objects.order_by("history_number"):
        snapshots[s.addressee_number].append(s)
    changes = {ch.pk: ch for ch in Change.objects.all()}
    for r in Resident.objects.all():
        history = snapshots[r.addressee_number]
        assert [s.history_number for s in history] == list(range(1, len(history) + 1))
        assert r.history_number == len(history) and r.version == r.history_number + 1
        latest = history[-1]
        assert {f: getattr(r, f) for f in ITEM_FIELDS} == {f: getattr(latest, f) for f in ITEM_FIELDS}
        assert [s.recorded_at for s in history] == sorted(s.recorded_at for s in history)
        first = history[0]
        assert first.reason_code in ("move_in_domestic", "move_in_abroad", "birth", "migration")
        if r.status == c.REMOVED:
            assert len(history) == 2 and latest.reason_code == r.removal_reason
            assert r.removed_on < synthetic.AS_OF_DEFAULT
            assert first.status == c.RESIDENT
        for s in history:
            change = changes[s.change_id]
            assert change.status == c.APPROVED and change.params == {"synthetic": True}
            assert change.entered_by.username == "generator"
            assert r.addressee_number in change.result["addressee_numbers"]
    removed = list(Resident.objects.filter(status=c.REMOVED))
    reasons = Counter(r.removal_reason for r in removed)
    assert reasons["move_out_domestic"] > reasons["death"] > 0
    assert all(r.destination for r in removed if r.removal_reason.startswith("move_out"))
    living_households = set(Resident.objects.filter(status=c.RESIDENT).values_list("household_id", flat=True))
    assert any(r.household_id in living_households for r in removed)          # a member left, the rest stayed
    assert any(r.household_id not in living_households for r in removed)      # the whole household left
    reloc = sum(1 for h in snapshots.values() if any(s.reason_code == "relocation" for s in h))
    assert 0.08 < reloc / RESIDENTS < 0.35
    # at most one change per household and event: the snapshots of one change share one household
    per_change = defaultdict(set)
    for history in snapshots.values():
        for s in history:
            per_change[s.change_id].add(s.household_number)
    assert all(len(v) == 1 for v in per_change.values())
    assert len(per_change) == Change.objects.count()


def test_mj_variant_names_are_stored_exactly(single_step, tmp_path):
    """~0.5 % of households carry an MJ variant surname; what the generator wrote is what the DB holds."""
    _generate(tmp_path, residents=6000, removed=0, seed=3)
    names = list(Resident.objects.values_list("name", flat=True))
    variants = [n for n in names if IVS.search(n) or "髙" in n or "﨑" in n]
    assert 0.001 < len(variants) / len(names) < 0.02
    assert any(IVS.search(n) for n in variants)
    plan = synthetic.make_plan(3, 6000, 0)
    builder = synthetic.BatchBuilder(seed=3, as_of=synthetic.AS_OF_DEFAULT, dialect=synthetic.Dialect("sqlite"),
                                     generator_user_id=1)
    batch = builder.build(plan, 0, 0, plan.households, addressee_after=0, household_after=0,
                          ids={"household": 1, "change": 1, "resident": 1, "history": 1})
    column = synthetic.table_columns()["register_resident"].index("name")
    assert sorted(row.split("\t")[column] for row in batch.residents) == sorted(names)


def test_same_seed_gives_the_same_city(single_step, tmp_path):
    _generate(tmp_path)
    first = _dump()
    _generate(tmp_path, reset=True)
    assert _dump() == first
    _generate(tmp_path, reset=True, seed=8)
    assert _dump()[0] != first[0]


def test_an_interrupted_run_resumes_to_the_same_city(single_step, tmp_path):
    """Killed after two batches of 40 households, resumed: the same city as one uninterrupted run with the
    default batch size (the batch size only cuts the load into transactions)."""
    _generate(tmp_path)
    whole = _dump()

    class Stop(Exception):
        pass

    def stop_after_two(progress):
        if progress.batch == 2:
            raise Stop

    options = synthetic.Options(residents=RESIDENTS, removed=REMOVED, seed=7, state_dir=tmp_path, reset=True,
                                batch_households=40)
    with pytest.raises(Stop):
        synthetic.generate(options, progress=stop_after_two)
    assert NumberSequence.objects.get(name=synthetic.PROGRESS_SEQUENCE).last_body == 2
    assert 0 < Resident.objects.count() < RESIDENTS + REMOVED
    options.reset, options.resume = False, True
    synthetic.generate(options)
    assert _dump() == whole


def test_the_real_actions_carry_on_after_the_generated_numbers(city, clerk):
    from conftest import family_params
    from jumin.register.actions import do_move_in, do_relocate

    last_person = NumberSequence.objects.get(name=ADDRESSEE).last_body
    last_household = NumberSequence.objects.get(name=HOUSEHOLD).last_body
    assert last_person == max(int(n[:-1]) for n in Resident.objects.values_list("addressee_number", flat=True))
    assert last_household == max(int(n[:-1]) for n in Household.objects.values_list("household_number", flat=True))
    last_change = Change.objects.order_by("-id").first().id

    # a family of three or more: its child moves to a flat of their own (a new household) …
    family = next(h for h in Household.objects.order_by("id")
                  if Resident.objects.filter(household=h, status=c.RESIDENT, relationship="子").exists()
                  and Resident.objects.filter(household=h, status=c.RESIDENT).count() >= 3)
    child = Resident.objects.filter(household=family, status=c.RESIDENT, relationship="子").first()
    change = do_relocate({
        "household_number": family.household_number, "effective_on": "R8.9.1", "notified_on": "R8.9.5",
        "members": [child.addressee_number], "relationships": {child.addressee_number: "世帯主"},
        "address": {"postcode": "9800811", "address": "宮城県仙台市青葉区一番町一丁目1番1号",
                    "address_supplement": "テストハイツ101"},
    }, actor=actor(clerk))
    assert change.status == c.APPROVED and change.id > last_change
    child.refresh_from_db()
    assert int(child.household_number[:-1]) > last_household
    assert check_digits.is_valid_addressee_number(child.household_number)
    assert child.history_number >= 2 and child.version == child.history_number + 1
    assert ResidentHistory.objects.filter(addressee_number=child.addressee_number).count() == child.history_number

    # … the whole remaining household moves, and a new family moves in after the generated numbers
    do_relocate({"household_number": family.household_number, "effective_on": "R8.9.2",
                 "address": {"address": "宮城県仙台市泉区泉中央一丁目2番3号"}}, actor=actor(clerk))
    change = do_move_in(family_params(), actor=actor(clerk))
    created = change.result["created"]
    assert created and all(int(n[:-1]) > last_person for n in created)
