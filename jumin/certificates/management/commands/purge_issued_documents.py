"""`jumin purge_issued_documents`: remove the kept PDFs whose reprint period (証明書設定の
document_retention_days, default 7 days) is over. The 交付履歴 rows stay. Run it from the nightly batch."""

from django.core.management.base import BaseCommand

from jumin.audit.actions import Actor
from jumin.certificates.actions import do_purge_issued_documents


class Command(BaseCommand):
    help = "再印刷用の保存期間を過ぎた交付PDFを削除する（交付履歴は残す。操作ログに記録）"

    def handle(self, *args, **options):
        removed = do_purge_issued_documents(actor=Actor(user=None, terminal="system"))
        self.stdout.write(f"交付PDF {removed} 件を削除しました（交付履歴は残ります）。")
