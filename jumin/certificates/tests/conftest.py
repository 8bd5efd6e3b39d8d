"""Fixtures for certificates: the 山田 family on the register, a mayor with a seal, and helpers that issue
through the real action and read the PDF back with poppler (pdftotext / pdffonts), as a checker would."""

import subprocess
import tempfile
from datetime import date

import pytest

from conftest import actor, register_state
from jumin.certificates.models import CertificateConfig, Signatory
from jumin.certificates.seal import default_seal_svg
from jumin.register.models import Resident


@pytest.fixture
def mayor(db):
    return Signatory.objects.create(title="宮城県仙台市長", name="郡 和子", valid_from=date(2017, 8, 22),
                                    seal_svg=default_seal_svg("仙台市長之印"))


@pytest.fixture
def config(db):
    return CertificateConfig.objects.create(place="本庁", verification_url="http://127.0.0.1:8000/certificates/verify/")


@pytest.fixture
def yamada(family, mayor, config):
    """山田 太郎 (世帯主), 花子 (妻), 一郎 (子), in household order."""
    head = Resident.objects.get(name="山田 太郎")
    return {"head": head, "wife": Resident.objects.get(name="山田 花子"),
            "child": Resident.objects.get(name="山田 一郎"), "household": head.household_number}


def request_for(*persons, kind="resident_copy", layout=None, requester_kind="self", requester_name=None, **extra):
    params = {"kind": kind, "subjects": [p.addressee_number for p in persons],
              "requester": {"kind": requester_kind, "name": requester_name or persons[0].name},
              "identity_check": "my_number_card", "purpose": "", "copies": 1}
    if layout:
        params["layout"] = layout
    params.update(extra)
    return params


def issue(user, params, terminal="本庁1"):
    from jumin.certificates.actions import do_issue_certificate

    return do_issue_certificate(params, actor=actor(user, terminal))


def pdf_text(pdf: bytes) -> str:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(pdf)
        f.flush()
        return subprocess.run(["pdftotext", "-layout", f.name, "-"], capture_output=True, check=True,
                              text=True).stdout


def pdf_fonts(pdf: bytes) -> list[str]:
    """The embedded font names (subset prefix removed), from pdffonts."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(pdf)
        f.flush()
        out = subprocess.run(["pdffonts", f.name], capture_output=True, check=True, text=True).stdout
    names = [line.split()[0] for line in out.splitlines()[2:] if line.strip()]
    return sorted({n.split("+", 1)[-1] for n in names})


def certificate_state():
    from jumin.certificates.models import Issuance, IssueCounter, IssuedDocument

    out = register_state()
    out["issuances"] = Issuance.objects.count()
    out["documents"] = IssuedDocument.objects.count()
    out["counters"] = list(IssueCounter.objects.values_list("day", "terminal", "last_serial"))
    return out


# ------------------------------------------------------------------ the counter screens (test_screen_*, browser)




@pytest.fixture
def removed_child(yamada, clerk):
    """山田 一郎 moved out to 東京都: a 除票 (his parents stay)."""
    from jumin.register.actions import do_move_out

    do_move_out({"household_number": yamada["household"], "members": [yamada["child"].addressee_number],
                 "effective_on": "R6.5.1", "notified_on": "R6.5.1",
                 "destination": {"address": "東京都港区芝公園4丁目2番8号"}}, actor=actor(clerk))
    yamada["child"].refresh_from_db()
    return yamada["child"]


def screen_state():
    """certificate_state() plus each issuance's 処分 fields: a refused 処分 must leave them as they were."""
    from jumin.certificates.models import Issuance

    out = certificate_state()
    out["voids"] = list(Issuance.objects.order_by("pk").values_list("pk", "voided_at", "voided_by", "void_reason"))
    return out


def household_form(yamada, **overrides):
    """The 交付請求 form as a clerk leaves it for 山田 太郎's 世帯連記式 住民票の写し (field name → value)."""
    data = {"person": yamada["head"].addressee_number, "kind": "resident_copy", "layout": "household",
            "subjects": [yamada[k].addressee_number for k in ("head", "wife", "child")],
            "requester.kind": "self", "requester.name": "山田 太郎", "identity_check": "my_number_card",
            "purpose": "", "options.head_relationship": "on", "options.former_surname": "on",
            "options.alias": "on", "options.previous_address": "on", "copies": "1"}
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


@pytest.fixture
def restrictor(db):
    """The 支援措置担当 who sets 抑止 (for the alert and refusal screens)."""
    from conftest import _user
    from jumin.accounts import rules as roles

    return _user("restrictor", roles.SUPERVISOR, "支援 五郎")


def set_issue_restriction(supervisor, person, level):
    """A 発行 抑止 on one person: level "alert" asks the clerk to confirm, "error" refuses neutrally."""
    from jumin.restrictions.actions import do_set_restriction

    return do_set_restriction({"addressee_number": person.addressee_number, "operation": "issue", "level": level,
                               "reason": "警察からの照会対応中"}, actor=actor(supervisor))


def error_beside(html: str, field_id: str) -> str:
    """The refusal message shown right under the input `field_id` ("" when there is none)."""
    import re

    found = re.search(rf'<p class="field-error" id="{re.escape(field_id)}-error" role="alert">([^<]*)</p>', html)
    return found.group(1) if found else ""


def is_checked(html: str, input_id: str) -> bool:
    import re

    tag = re.search(rf'<input[^>]*id="{re.escape(input_id)}"[^>]*>', html)
    assert tag, f"no input #{input_id}"
    return " checked" in tag.group(0)


# ------------------------------------------------------------------ the two renderers (ADR 0002)

@pytest.fixture(params=["form", "weasyprint"])
def either_renderer(request, settings):
    """A test module marked with this runs once with the form renderer and once with WeasyPrint's HTML form: while
    both exist, every certificate test holds for both (ADR 0002, "what must hold")."""
    settings.CERTIFICATE_RENDERER = request.param
    return request.param


@pytest.fixture
def weasyprint_renderer(settings):
    settings.CERTIFICATE_RENDERER = "weasyprint"
    return "weasyprint"
