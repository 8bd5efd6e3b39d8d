"""`jumin purge_seal_registrations`: remove abolished 印鑑登録原票 whose retention period (印鑑登録設定の
保存年数, default 5 years after the abolition) is over. Run it from the nightly batch; it logs what it removed."""

from django.core.management.base import BaseCommand

from jumin.seals.actions import do_purge_expired_registrations


class Command(BaseCommand):
    help = "保存期間を過ぎた廃止済みの印鑑登録原票を削除する（操作ログに記録）"

    def handle(self, *args, **options):
        removed = do_purge_expired_registrations()
        self.stdout.write(f"removed {removed} abolished seal registration(s) past their retention period")
