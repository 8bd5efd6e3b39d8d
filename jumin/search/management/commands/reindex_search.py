"""`jumin reindex_search`: rebuild every search key from the register (after `jumin generate` or a data migration)."""

from django.core.management.base import BaseCommand

from jumin.search.bulk import reindex_all


class Command(BaseCommand):
    help = "検索キーを住民記録から作り直す"

    def handle(self, *args, **options):
        def progress(persons, keys, seconds):
            if persons % 100_000 < 5000:
                self.stdout.write(f"  {persons:,} 人 / {keys:,} キー / {seconds:,.0f} 秒")

        result = reindex_all(progress=progress)
        self.stdout.write(f"検索キー {result['keys']:,} 件（{result['persons']:,} 人）を {result['seconds']} 秒で作成しました。")
