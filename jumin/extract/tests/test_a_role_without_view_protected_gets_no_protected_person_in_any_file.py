"""支援措置 (issue #16 item 2): the rows of a protected person — and of a person under a 照会抑止 — are left out
of every file for a role without 支援措置対象者の照会 (the 統計・EUC担当), and for a role with it that did not ask
for them (--include-protected); the manifest says how many persons were left out. Who is hidden is decided by
jumin.restrictions.queries, the one enforcement module. The files are searched, byte for byte, for the person's
name, address and 宛名番号, in Parquet and in CSV."""

import pyarrow.parquet as pq
import pytest

from conftest import actor
from jumin.extract.tests.conftest import extract, manifest

pytestmark = pytest.mark.django_db


@pytest.fixture
def protected(yamada, clerk, supervisor):
    from jumin.certificates.tests.conftest import issue, request_for
    from jumin.restrictions.actions import do_register_protection

    issue(clerk, request_for(yamada["wife"], layout="individual"))
    do_register_protection({"addressee_number": yamada["wife"].addressee_number, "kind": "dv"},
                           actor=actor(supervisor))
    return yamada["wife"]


def texts(out):
    """Every value of every file, as text (Parquet decoded by pyarrow; CSV as it is)."""
    out_text = []
    for path in sorted(out.iterdir()):
        if path.suffix == ".parquet":
            out_text.append(repr(pq.read_table(path).to_pylist()))
        else:
            out_text.append(path.read_text(encoding="utf-8"))
    return "\n".join(out_text)


@pytest.mark.parametrize("fmt", ["parquet", "csv"])
def test_the_analyst_gets_no_row_of_the_protected_person(protected, analyst, fmt, tmp_path):
    extract(analyst, tmp_path / "x", fmt=fmt)
    found = texts(tmp_path / "x")
    for secret in (protected.name, protected.addressee_number, protected.name_kana):
        assert secret not in found
    assert "山田 太郎" in found                                  # the rest of the household is there
    got = manifest(tmp_path / "x")
    assert got["left_out"]["protected_persons"]["count"] == 1 and got["protected"]["withheld"] is True


def test_an_approver_gets_the_protected_person_only_when_asking(protected, approver, tmp_path):
    extract(approver, tmp_path / "without")
    assert protected.addressee_number not in texts(tmp_path / "without")
    extract(approver, tmp_path / "with", include_protected=True)
    found = texts(tmp_path / "with")
    assert protected.addressee_number in found and protected.name in found
    assert manifest(tmp_path / "with")["protected"] == {"withheld": False, "excluded_persons": 0,
                                                        "digest": manifest(tmp_path / "with")["protected"]["digest"]}


def test_the_auditor_gets_neither_her_issuance_nor_her_operation_log_rows(protected, auditor, tmp_path):
    extract(auditor, tmp_path / "x")
    got = manifest(tmp_path / "x")
    assert {f["entity"] for f in got["files"]} == {"issuances", "operation_log"}
    found = texts(tmp_path / "x")
    assert protected.addressee_number not in found and protected.name not in found
    rows = {f["entity"]: f["rows"] for f in got["files"]}
    assert rows["issuances"] == 0 and rows["operation_log"] > 0
