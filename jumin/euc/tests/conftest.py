"""A small city for EUC: two families in 青葉区 and 泉区 (the 山田 family of the shared conftest, and the 佐藤
couple aged 70 and 75 on R8.4.1), a woman of 68 under a 支援措置 in 青葉区, and the users of each side: an analyst
(統計・EUC担当: no 個人番号, no 支援措置), two approvers (four eyes), a supervisor (支援措置 right, no 本登録)."""

import pytest

from conftest import _user, actor, family_params
from jumin.accounts import rules as roles
from jumin.register.models import Resident

PROTECTED = "鷲尾 澪"


def move_in(clerk, **overrides):
    from jumin.register.actions import do_move_in

    return do_move_in(family_params(**overrides), actor=actor(clerk)).result


def person(name, kana, birth, sex, relationship, head, **extra):
    return {"name": name, "name_kana": kana, "birth_date": birth, "sex": sex, "relationship": relationship,
            "domicile_status": "recorded", "domicile": "宮城県仙台市青葉区国分町一丁目1番", "domicile_head": head, **extra}


@pytest.fixture
def analyst(db):
    user = _user("analyst", roles.ANALYST, "統計 七子")
    user.department = "政策企画課"
    user.save()
    return user


@pytest.fixture
def approver2(db):
    return _user("approver2", roles.APPROVER, "審査 次郎")


@pytest.fixture
def supervisor(db):
    return _user("supervisor", roles.SUPERVISOR, "支援 五郎")


@pytest.fixture
def city(family, clerk, supervisor):
    """山田 (青葉区, 45/44/13), 佐藤 (泉区, 70/75), 鷲尾 澪 (青葉区, 68, protected)."""
    from jumin.restrictions.actions import do_register_protection
    from jumin.restrictions.tests.conftest import OFFENDER

    move_in(clerk, address={"postcode": "9813204", "address_code": "04105012003",
                            "address": "宮城県仙台市泉区寺岡三丁目5番1号", "address_supplement": ""},
            members=[person("佐藤 一男", "サトウ カズオ", "1956-01-10", "1", "世帯主", "佐藤 一男"),
                     person("佐藤 和子", "サトウ カズコ", "1950-12-24", "2", "妻", "佐藤 一男")])
    move_in(clerk, address={"postcode": "9800811", "address_code": "04101001002",
                            "address": "宮城県仙台市青葉区一番町二丁目2番2号", "address_supplement": "澪荘101"},
            members=[person(PROTECTED, "ワシオ ミオ", "1957-09-09", "2", "世帯主", PROTECTED)])
    mio = Resident.objects.get(name=PROTECTED)
    do_register_protection({"addressee_number": mio.addressee_number, "kind": "dv", "offenders": [OFFENDER]},
                           actor=actor(supervisor))
    return {"mio": mio, "yamada": Resident.objects.get(name="山田 太郎"), "kazuo": Resident.objects.get(name="佐藤 一男")}


def euc_state():
    """What a refused EUC call must leave as it was: every EUC row and every file."""
    from jumin.euc import models as m
    from jumin.euc.queries import run_dir

    return {"runs": list(m.EucRun.objects.order_by("pk").values_list("pk", "status", "downloads")),
            "subjects": m.EucRunSubject.objects.count(), "saved": list(m.SavedQuery.objects.values_list("pk", "version")),
            "files": sorted(p.name for p in run_dir().iterdir())}


AOBA_ELDERLY = {"dataset": "residents", "items": ["addressee_number", "氏名", "birth_date", "age", "ward", "town"],
                "as_of": "R8.4.1",
                "where": {"all": [{"item": "ward", "op": "eq", "value": "青葉区"},
                                  {"item": "age", "op": "between", "value": [65, 74]}]}}


@pytest.fixture(autouse=True)
def euc_files(settings, tmp_path):
    """Each test's output files in its own folder."""
    settings.EUC_FILE_DIR = tmp_path / "euc"
    return settings.EUC_FILE_DIR
