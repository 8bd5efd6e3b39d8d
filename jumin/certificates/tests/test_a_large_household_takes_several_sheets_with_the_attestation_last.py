"""Five or more persons: 4 a sheet, page n/m on every page, 認証文 and 公印 only on the last (standard-spec §4.2, §4.4)."""

import pytest

from conftest import actor, family_params
from jumin.certificates.tests.conftest import issue, pdf_text, request_for
from jumin.register.actions import do_move_in
from jumin.register.models import Resident

pytestmark = pytest.mark.usefixtures("either_renderer")


def six_person_family(clerk):
    params = family_params()
    for i, (name, kana) in enumerate([("山田 次郎", "ヤマダ ジロウ"), ("山田 三郎", "ヤマダ サブロウ"),
                                      ("山田 四郎", "ヤマダ シロウ")]):
        params["members"].append({"name": name, "name_kana": kana, "birth_date": f"2014-0{i + 1}-01", "sex": "1",
                                  "relationship": "子", "domicile_status": "recorded",
                                  "domicile": "東京都千代田区千代田1番", "domicile_head": "山田 太郎"})
    change = do_move_in(params, actor=actor(clerk))
    return [Resident.objects.get(addressee_number=n) for n in change.result["created"]]


def test_six_persons_print_on_two_sheets(single_step, mayor, config, clerk):
    persons = six_person_family(clerk)
    result = issue(clerk, request_for(*persons, layout="household"))
    assert result.issuance.pages == 2
    pages = pdf_text(result.pdf).split("\f")
    assert [n.split()[-1] for n in result.issuance.issue_numbers] == ["1/2", "2/2"]
    assert result.issuance.issue_numbers[0] in pages[0] and result.issuance.issue_numbers[1] in pages[1]
    assert "証明する" not in pages[0] and "証明する" in pages[1]
    assert "郡 和子" not in pages[0] and "郡 和子" in pages[1]
    assert sum(p.count("氏名") for p in pages[:2]) == 6
    assert "山田 太郎" in pages[0] and "山田 四郎" in pages[1]
    for page in pages[:2]:
        assert "宮城県仙台市青葉区一番町四丁目7番17号" in page  # the address heads every sheet
