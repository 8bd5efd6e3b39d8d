"""`jumin generate --non-residents N` adds realistic 住登外者 to the synthetic city: landowners elsewhere, former
residents under their own 除票 number, people abroad, insured and vaccinated persons — numbered from the register's
series (never a resident's number), each with its first snapshot and items that pass the rules a clerk's input
passes."""

from collections import Counter

from jumin.addressees import rules
from jumin.addressees.models import NonResident, NonResidentHistory
from jumin.addressees.synthetic import CONTRIBUTOR
from jumin.core import text
from jumin.core.check_digits import is_valid_addressee_number, is_valid_individual_number
from jumin.core.synthetic import generate_city
from jumin.register import choices as c
from jumin.register.models import Resident


def test_the_non_residents_are_of_every_kind_and_never_take_a_residents_number(single_step, tmp_path):
    from jumin.register import synthetic

    synthetic.generate(synthetic.Options(residents=80, removed=60, seed=3, state_dir=tmp_path))
    removed = dict(Resident.objects.filter(status=c.REMOVED).values_list("addressee_number", "name"))
    living = set(Resident.objects.filter(status=c.RESIDENT).values_list("addressee_number", flat=True))

    run = generate_city({"non_residents": 120, "seed": 3}, only=[CONTRIBUTOR])

    records = list(NonResident.objects.all())
    assert len(records) == 120 and run.results["addressees"].data["non_residents"] == 120
    kinds = Counter(r.kind for r in records)
    assert set(kinds) == {k for k, _ in rules.KIND_CHOICES} and kinds[rules.TAXPAYER] > kinds[rules.OTHER]
    numbers = [r.addressee_number for r in records]
    assert len(set(numbers)) == 120 and all(is_valid_addressee_number(n) for n in numbers)
    assert not set(numbers) & living
    for r in records:
        if r.kind == rules.FORMER_RESIDENT:
            assert removed[r.addressee_number] == r.name          # one person, one number
        else:
            assert r.addressee_number not in removed
        if r.address_kind == rules.OVERSEAS:
            assert r.country_name and r.foreign_address and not r.address
        else:
            assert r.address and not r.country_name
        text.validate_name(r.name, field="name", label="氏名", required=True)
        assert r.business in r.referring_businesses
    held = [r.individual_number for r in records if r.individual_number]
    assert len(held) > 30 and len(set(held)) == len(held) and all(is_valid_individual_number(n) for n in held)
    assert not set(held) & set(Resident.objects.values_list("individual_number", flat=True))
    assert NonResidentHistory.objects.filter(history_number=1).count() == 120
