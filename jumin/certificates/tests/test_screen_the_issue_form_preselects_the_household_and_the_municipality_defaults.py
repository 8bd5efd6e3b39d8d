"""The 交付請求 form (issue #5 item 2): opened from a resident, it lists the household in household order with
everyone chosen for a 世帯連記式 copy, the requester prefilled as 本人, the options as the municipality set
them and the fee; a 除票 person is offered alone with the 除票の写し. A viewer gets the neutral page."""

import re

from jumin.accounts import rules as perms
from jumin.certificates.tests.conftest import certificate_state, is_checked


def form(client, person):
    response = client.get(f"/certificates/new/?person={person.addressee_number}")
    assert response.status_code == 200
    return response.content.decode()


def test_the_household_is_listed_in_order_and_all_are_chosen_for_a_household_copy(yamada, clerk, screen_as):
    html = form(screen_as(clerk), yamada["head"])
    numbers = [yamada[k].addressee_number for k in ("head", "wife", "child")]
    shown = re.findall(r'name="subjects" value="(\d+)"', html)
    assert shown == numbers                                     # 世帯主, 妻, 子: household order
    assert all(is_checked(html, f"f-subjects-{n}") for n in numbers)
    assert re.search(r'<option value="resident_copy" selected>住民票の写し</option>', html)
    assert re.search(r'value="household" checked', html)
    assert 'name="requester.name" value="山田 太郎"' in html    # 本人, prefilled
    assert '<option value="self" selected>本人</option>' in html
    assert ">300円</output>" in html


def test_the_options_start_as_the_municipality_set_them(yamada, config, clerk, screen_as):
    config.default_options = {"domicile": True, "alias": False}
    config.save()
    html = form(screen_as(clerk), yamada["head"])
    assert is_checked(html, "f-options-domicile")               # the city prints 本籍 unless asked not to
    assert not is_checked(html, "f-options-alias")
    assert is_checked(html, "f-options-head_relationship")      # unset: the national default
    assert not is_checked(html, "f-options-individual_number")


def test_the_individual_number_option_is_offered_only_to_a_role_that_may_see_it(yamada, clerk, screen_as,
                                                                                   monkeypatch):
    assert 'id="f-options-individual_number"' in form(screen_as(clerk), yamada["head"])
    monkeypatch.setitem(perms.ROLE_PERMISSIONS, perms.CLERK,
                        perms.ROLE_PERMISSIONS[perms.CLERK] - {perms.VIEW_INDIVIDUAL_NUMBER})
    assert 'id="f-options-individual_number"' not in form(screen_as(clerk), yamada["head"])


def test_a_removed_person_is_offered_alone_with_the_removed_copy(removed_child, clerk, screen_as):
    html = form(screen_as(clerk), removed_child)
    assert re.findall(r'name="subjects" value="(\d+)"', html) == [removed_child.addressee_number]
    assert is_checked(html, f"f-subjects-{removed_child.addressee_number}")
    assert re.search(r'<option value="removed_copy" selected>', html)
    assert re.search(r'value="individual" checked', html)
    assert "この方は除票です" in html


def test_a_viewer_gets_the_neutral_page_and_nothing_is_read_or_written(yamada, viewer, screen_as):
    before = certificate_state()
    response = screen_as(viewer).get(f"/certificates/new/?person={yamada['head'].addressee_number}")
    assert response.status_code == 403
    html = response.content.decode()
    assert "表示できません" in html and "証明書の交付" in html
    assert "山田" not in html
    assert certificate_state() == before
