"""standard-spec §4.2: フリガナ on certificates (§5.3, an option the municipality may default on): katakana in
brackets after 氏名, 旧氏 and 通称 only; 「公用」 on the face of a certificate issued to a public office (§5.7)."""

import pytest

from jumin.certificates.tests.conftest import issue, pdf_text, request_for

pytestmark = pytest.mark.usefixtures("either_renderer")


def text_of(result) -> str:
    """pdftotext -layout with runs of spaces collapsed (layout mode widens the space inside the kana)."""
    return " ".join(pdf_text(result.pdf).split())


def test_furigana_follows_the_name_in_brackets_when_asked_and_not_otherwise(yamada, clerk):
    plain = text_of(issue(clerk, request_for(yamada["head"], layout="individual")))
    assert "山田 太郎" in plain and "ヤマダ" not in plain
    asked = issue(clerk, request_for(yamada["head"], layout="individual", options={"furigana": True}))
    text = text_of(asked)
    assert "山田 太郎（ヤマダ タロウ）" in text
    assert text.count("ヤマダ") == 1                     # after 氏名 only, not after 世帯主 or 筆頭者
    assert asked.issuance.options["furigana"] is True


def test_the_municipality_may_print_furigana_by_default(yamada, clerk, config):
    config.default_options = {**config.default_options, "furigana": True}
    config.save()
    text = text_of(issue(clerk, request_for(yamada["wife"], layout="individual")))
    assert "山田 花子（ヤマダ ハナコ）" in text
    text = text_of(issue(clerk, request_for(yamada["wife"], layout="individual", options={"furigana": False})))
    assert "ヤマダ" not in text


def test_an_official_request_is_marked_official_on_the_face_and_free(yamada, clerk):
    official = issue(clerk, request_for(yamada["head"], layout="individual", requester_kind="official",
                                        requester_name="宮城県警察本部", purpose="捜査関係事項照会（第123号）",
                                        identity_check="official_document"))
    title = pdf_text(official.pdf).strip().split("\n")[0]
    assert "住民票の写し" in title and "公用" in title
    assert official.issuance.fee == 0 and official.issuance.content["official"] is True
    assert "公用" not in text_of(issue(clerk, request_for(yamada["head"], layout="individual")))
