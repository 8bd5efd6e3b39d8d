"""The 住登外者' part of `jumin generate` (`--non-residents N`): realistic non-residents on top of the register's city.

Who they are (shares of N, drawn per record with `random_for(seed, "addressees", i)`, so the register's city is
left exactly as it was):
- 45 % 住所地外の納税義務者 — landowners living elsewhere in Japan (固定資産税, with 個人住民税 referring);
- 20 % 元住民 — 除票 persons of the register, registered with their own 宛名番号 (one person, one number; as many as
  the register has 除票 not registered yet);
- 15 % 国外居住者 — Japanese and foreigners living abroad (the country and a foreign address);
- 10 % 住所地特例等の被保険者 (介護保険, 国民健康保険) and 10 % その他 (住所地外接種: 健康管理).
New numbers are taken from the register's 宛名番号 series in one block (the series row locked once), so they never
equal a resident's; 6 in 10 have a FAKE 個人番号 ("99…", the register's permutation of the body, so no two
persons share one). Each record gets its first snapshot; loaded with plain INSERTs in batches of 5,000.
"""

from __future__ import annotations

import time
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from jumin.addressees.rules import KIND_CHOICES
from jumin.core.synthetic import (COUNTRIES_ABROAD, FOREIGN_NAMES, Contributor, Draws, Result, Run,
                                  generator_user, random_for)

BATCH = 5_000
KINDS = (("taxpayer", 45), ("former", 20), ("abroad", 15), ("insured", 10), ("other", 10))
BUSINESS_OF = {"taxpayer": ("012", ["010", "012"]), "former": ("010", ["010"]), "abroad": ("010", ["010", "026"]),
               "insured": ("023", ["023", "024"]), "other": ("019", ["019"])}
FOREIGN_ADDRESS = {"アメリカ合衆国": "1600 Pennsylvania Avenue NW, Washington, DC 20500",
                   "中華人民共和国": "北京市朝阳区建国门外大街1号", "大韓民国": "서울특별시 종로구 세종대로 209",
                   "ベトナム社会主義共和国": "58 Kim Ma, Ba Dinh, Ha Noi", "オーストラリア連邦": "1 George Street, Sydney NSW 2000",
                   "連合王国": "10 Downing Street, London SW1A 2AA", "カナダ": "80 Wellington Street, Ottawa ON K1A 0A2",
                   "タイ王国": "1 Thanon Ratchadamnoen Nok, Bangkok 10300",
                   "シンガポール共和国": "1 Raffles Place, Singapore 048616",
                   "ドイツ連邦共和国": "Platz der Republik 1, 11011 Berlin"}


def _kind(r) -> str:
    pick = r.random() * 100
    for kind, share in KINDS:
        if pick < share:
            return kind
        pick -= share
    return KINDS[-1][0]


def _person(draws: Draws, r, kind: str, as_of: date) -> dict:
    sex = "1" if r.random() < 0.5 else "2"
    birth = as_of - timedelta(days=r.randint(20 * 365, 90 * 365))
    if kind == "abroad" and r.random() < 0.4:
        country = r.choice(sorted(FOREIGN_NAMES))
        surnames, males, females = FOREIGN_NAMES[country]
        s_kanji, s_kana, s_alpha = r.choice(surnames)
        g_kanji, g_kana, g_alpha = r.choice(males if sex == "1" else females)
        name = f"{s_kanji} {g_kanji}" if s_kanji and g_kanji else f"{s_alpha} {g_alpha}"
        person = {"name": name, "name_kana": f"{s_kana} {g_kana}", "name_alphabet": f"{s_alpha} {g_alpha}"}
    else:
        (s_kanji, s_kana), (g_kanji, g_kana) = draws.surname(), draws.given(sex, birth.toordinal())
        person = {"name": f"{s_kanji} {g_kanji}", "name_kana": f"{s_kana} {g_kana}", "name_alphabet": ""}
    person.update(sex=sex, birth_date=birth)
    if kind == "abroad":
        country = r.choice(COUNTRIES_ABROAD)
        person.update(address_kind="abroad", country_name=country, foreign_address=FOREIGN_ADDRESS[country])
    else:
        address, postcode = draws.elsewhere()
        person.update(address_kind="domestic", address=address, postcode=postcode)
    return person


def _blank() -> dict:
    return {"name_alphabet": "", "alias": "", "alias_kana": "", "birth_date_text": "", "address_kind": "domestic",
            "postcode": "", "municipality_code": "", "town_code": "", "address": "", "address_supplement": "",
            "country_code": "", "country_name": "", "foreign_address": "", "individual_number": "",
            "other_business_hidden": False, "contact": "", "notified_on": None, "merged_into": "",
            "state": "in_use"}


def _former_residents(limit: int) -> list[tuple]:
    """(宛名番号, 氏名, フリガナ, 生年月日, 性別, 転出先) of 除票 persons not yet registered as 住登外者."""
    from jumin.addressees.models import NonResident
    from jumin.register import choices as c
    from jumin.register.models import Resident

    taken = NonResident.objects.values("addressee_number")
    return list(Resident.objects.filter(status=c.REMOVED).exclude(addressee_number__in=taken)
                .order_by("addressee_number")
                .values_list("addressee_number", "name", "name_kana", "birth_date", "sex", "destination",
                             "destination_postcode")[:limit])


def _reserve_numbers(count: int) -> list[str]:
    """`count` new 宛名番号 of the register's series, reserved at once (the series row locked and moved once)."""
    import numpy as np

    from jumin.core.models import ADDRESSEE, NumberSequence
    from jumin.register.synthetic import addressee_bodies, addressee_numbers

    sequence, _ = NumberSequence.objects.select_for_update().get_or_create(name=ADDRESSEE)
    bodies = addressee_bodies(sequence.last_body, count)
    if count:
        sequence.last_body = int(bodies[-1])
        sequence.save(update_fields=["last_body"])
    return addressee_numbers(np.asarray(bodies, dtype=np.int64))


def generate_non_residents(count: int, *, seed: int, as_of: date, report=lambda message: None) -> dict:
    from jumin.addressees.actions import key_values
    from jumin.addressees.models import NonResident, NonResidentHistory, NonResidentKey
    from jumin.core.db import insert_rows
    from jumin.search.actions import Folder
    from jumin.register.synthetic import individual_numbers

    import numpy as np

    started = time.monotonic()
    kinds = [_kind(random_for(seed, "addressees", "kind", i)) for i in range(count)]
    former = _former_residents(kinds.count("former"))
    user = generator_user()
    now = timezone.now()
    made = {kind: 0 for kind, _ in KINDS}
    with transaction.atomic():
        fresh = _reserve_numbers(count - min(len(former), kinds.count("former")))
    bodies = np.asarray([int(n[:-1]) for n in fresh], dtype=np.int64)
    numbers_for = dict(zip(fresh, individual_numbers(bodies) if len(bodies) else []))
    fresh_iter, former_iter = iter(fresh), iter(former)
    batch_current, batch_history, batch_keys = [], [], []
    folder = Folder()

    def flush():
        with transaction.atomic():
            insert_rows(NonResident, batch_current)
            insert_rows(NonResidentHistory, batch_history)
            insert_rows(NonResidentKey, batch_keys)
        for batch in (batch_current, batch_history, batch_keys):
            batch.clear()

    for i, kind in enumerate(kinds):
        r = random_for(seed, "addressees", i)
        draws = Draws(r)
        row = _blank()
        linked = next(former_iter, None) if kind == "former" else None
        if kind == "former" and linked is None:
            kind = "taxpayer"
        business, referring = BUSINESS_OF[kind]
        if linked is not None:
            number, name, kana, birth, sex, destination, postcode = linked
            address = destination or draws.elsewhere()[0]
            row.update(name=name, name_kana=kana, birth_date=birth, sex=sex, address=address,
                       postcode=postcode if destination else "")
        else:
            number = next(fresh_iter)
            row.update(_person(draws, r, kind, as_of))
            if r.random() < 0.6:
                row["individual_number"] = numbers_for[number]
        row.update(addressee_number=number, kind=kind, business=business, referring_businesses=referring,
                   notified_on=as_of - timedelta(days=r.randint(0, 3650)))
        made[kind] += 1
        batch_current.append({**row, "history_number": 1, "version": 1, "registered_at": now, "updated_at": now})
        batch_history.append({**row, "history_number": 1, "reason_code": "registered", "effective_on": row["notified_on"],
                              "reason": "合成データ", "recorded_at": now, "recorded_by": user.username})
        batch_keys.extend({"addressee_number": number, "kind": key_kind, "key": key}
                          for key_kind, key in sorted(folder.keys(key_values(row))))
        if len(batch_current) >= BATCH:
            flush()
            report(f"住登外者 {i + 1:,}/{count:,} 人")
    flush()
    return {"non_residents": count, "kinds": made, "seconds": time.monotonic() - started}


class NonResidentsContributor(Contributor):
    name = "addressees"
    after = ("register",)

    def add_arguments(self, parser) -> None:
        parser.add_argument("--non-residents", type=int, default=0,
                            help="住登外者の人数（地権者・元住民・国外居住者など。既定 0）")

    def generate(self, run: Run) -> Result:
        from jumin.addressees.models import NonResident, NonResidentHistory, NonResidentKey

        count = int(run.options.get("non_residents") or 0)
        if run.reset:       # the register's series starts again: a 住登外 number left behind could be issued twice
            NonResidentKey.objects.all().delete()
            NonResidentHistory.objects.all().delete()
            NonResident.objects.all().delete()
        if count <= 0:
            return Result()
        if NonResident.objects.exists():
            from jumin.core.synthetic import GenerationRefused

            raise GenerationRefused("住登外者がすでにいます。作り直すときは --reset を付けてください。")
        run.report(f"住登外者 {count:,} 人を作成しています…")
        data = generate_non_residents(count, seed=run.seed, as_of=run.as_of, report=run.report)
        labels = {code: label.split("（")[0] for code, label in KIND_CHOICES}
        kinds = "、".join(f"{labels[k]} {n:,}" for k, n in data["kinds"].items() if n)
        return Result(rows=[("住登外者", f"{count:,}（{kinds}）")], seconds=data["seconds"], data=data)


CONTRIBUTOR = NonResidentsContributor()
