"""No CSV cell starts with = + - @ tab or CR (formula injection), in one place for every CSV the system writes
(core/csvfile): an EUC list in UTF-8 and in Shift_JIS, and the 日計表 — its terminal name `=1+2`, recorded on a
交付履歴 before terminal names were checked, reaches the file as text (issue #16 item 5)."""

import csv
import io

from conftest import actor
from jumin.certificates.models import Issuance
from jumin.euc import actions
from jumin.register.models import Resident

FORMULAS = ["=1+2", "+SUM(A1)", "-2+3", "@cmd", "\tx", "\rx"]


def cells(text):
    return [c for row in csv.reader(io.StringIO(text, newline="")) for c in row]


def test_euc_csv_in_both_encodings(city, analyst):
    for i, (resident, formula) in enumerate(zip(Resident.objects.order_by("pk"), FORMULAS)):
        Resident.objects.filter(pk=resident.pk).update(address_supplement=formula)
    for output, encoding in (("csv", "utf-8-sig"), ("csv_sjis", "cp932")):
        run = actions.do_run_euc({"dataset": "residents", "items": ["address_supplement", "household_order"]},
                                 output, actor=actor(analyst))
        found = cells(open(run.file_path, "rb").read().decode(encoding))
        assert not [c for c in found if c.startswith(("=", "+", "-", "@", "\t", "\r"))]
        assert "'=1+2" in found and "'@cmd" in found


def test_the_daily_summary(city, clerk):
    from jumin.certificates.queries import DAILY_CSV_HEADER, daily_summary, daily_summary_csv
    from jumin.certificates.tests.conftest import issue, request_for
    from jumin.certificates.models import CertificateConfig, Signatory
    from jumin.certificates.seal import default_seal_svg
    from django.utils import timezone
    from datetime import timedelta

    Signatory.objects.create(title="宮城県仙台市長", name="郡 和子", valid_from=timezone.localdate() - timedelta(days=9),
                             seal_svg=default_seal_svg("仙台市長之印"))
    CertificateConfig.objects.create(place="本庁", verification_url="http://127.0.0.1:8000/certificates/verify/")
    issued = issue(clerk, request_for(city["yamada"], layout="individual")).issuance
    Issuance.objects.filter(pk=issued.pk).update(terminal="=1+2")   # recorded before names were checked
    text = daily_summary_csv(daily_summary(actor=actor(clerk), day=issued.day, terminal="=1+2"))
    found = cells(text)
    assert DAILY_CSV_HEADER[1] in found and "'=1+2" in found and "=1+2" not in found
