import pytest

from jumin.core.errors import RuleViolation
from jumin.register.rules import is_valid_relationship, validate_relationship


def refusal(value, **kw):
    with pytest.raises(RuleViolation) as refused:
        validate_relationship(value, **kw)
    assert not is_valid_relationship(value)
    return refused.value


def test_an_empty_relationship_is_refused_as_required():
    error = refusal("  ")

    assert error.message == "続柄を入力してください。"
    assert error.code == "required"
    assert error.field == "relationship"


def test_mago_is_refused_and_the_chain_form_is_suggested():
    assert refusal("孫").message == "続柄「孫」は使用できません。「子の子」のように記載してください。"


@pytest.mark.parametrize(
    "word, suggestion",
    [("祖父", "父の父"), ("祖母", "父の母"), ("甥", "兄の子"), ("姪", "兄の子"), ("おじ", "父の兄"), ("おば", "父の姉")],
)
def test_forbidden_kinship_words_are_refused_with_the_chain_to_use(word, suggestion):
    assert refusal(word).message == f"続柄「{word}」は使用できません。「{suggestion}」のように記載してください。"


def test_a_forbidden_word_inside_a_chain_is_named():
    assert refusal("妻の祖父").message.startswith("続柄「祖父」は使用できません。")


@pytest.mark.parametrize("value", ["家事使用人", "準世帯主", "長男", "養子", "世帯主の妻", "子の", "の子", "友人"])
def test_other_words_are_refused_with_the_allowed_forms_listed(value):
    error = refusal(value)

    assert error.message.startswith(f"続柄「{value}」は使用できません。")
    assert "「の」でつないだ形" in error.message


def test_five_generations_must_be_recorded_as_enkosha():
    error = refusal("子の子の子の子の子")

    assert "5世代以上" in error.message
    assert "「縁故者」" in error.message


def test_more_than_six_terms_are_refused():
    error = refusal("妻の兄の妻の兄の妻の兄の妻")

    assert "6語まで" in error.message


@pytest.mark.parametrize("value", ["妻の夫", "夫の妻", "妻（未届）の夫", "子の妻の夫"])
def test_a_spouse_of_a_spouse_is_refused(value):
    assert "配偶者の配偶者" in refusal(value).message


@pytest.mark.parametrize("value", ["子の父", "子の母", "父の子", "母の子", "妻の子の母"])
def test_child_next_to_parent_is_refused_in_favour_of_the_direct_term(value):
    assert "直接の続柄" in refusal(value).message


def test_the_field_name_can_be_chosen():
    assert refusal("孫", field="members-0-relationship").field == "members-0-relationship"
