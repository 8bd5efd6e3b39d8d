"""`jumin linkage client add --business 010 --name 個人住民税 --items name,birth_date,… [--removed] [--protected]
[--methods pull,file] [--directory DIR] [--user NAME]` registers a consuming system (連携先) and prints its client ID
and secret once; `jumin linkage client list`; `jumin linkage client revoke|rotate CLIENT_ID` (issue #18 item 2);
`jumin linkage export [--client CLIENT_ID] [--full]` writes the file linkage (item 4)."""

from django.core.management.base import BaseCommand, CommandError

from jumin.accounts.commands import account_of
from jumin.audit.actions import Actor
from jumin.core.errors import PermissionDenied, RuleViolation
from jumin.linkage import actions
from jumin.linkage.models import LinkageClient

TERMINAL = "jumin linkage"


class Command(BaseCommand):
    help = "庁内連携（連携先の登録・一覧・失効）"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="noun", required=True)
        client = sub.add_parser("client", help="連携先")
        verbs = client.add_subparsers(dest="verb", required=True)
        add = verbs.add_parser("add", help="連携先を登録し、クライアントIDとシークレットを一度だけ表示する")
        add.add_argument("--business", required=True, help="業務ID（3桁）")
        add.add_argument("--name", required=True)
        add.add_argument("--items", required=True, help="受け取る項目（データディクショナリの項目名をカンマ区切り）")
        add.add_argument("--removed", action="store_true", help="除票も受け取る")
        add.add_argument("--protected", action="store_true", help="支援措置対象者も受け取る（項目を伏せた印で）")
        add.add_argument("--methods", default="pull", help="pull, file, notify（カンマ区切り）")
        add.add_argument("--directory", default="", help="ファイル連携の置き場所")
        add.add_argument("--charset", default="utf-8", help="ファイルの文字コード: utf-8（既定）または cp932")
        add.add_argument("--character-map", default=None,
                         help="cp932 の連携先の文字の対応表（CSV: 元の文字,置き換える文字）")
        add.add_argument("--user", default="admin", help="登録する利用者（操作ログに記録）")
        verbs.add_parser("list", help="連携先の一覧")
        revoke = verbs.add_parser("revoke", help="連携先を失効させる")
        revoke.add_argument("client_id")
        revoke.add_argument("--user", default="admin")
        rotate = verbs.add_parser("rotate", help="シークレットを作り直して一度だけ表示する（古いシークレットとトークンは無効）")
        rotate.add_argument("client_id")
        rotate.add_argument("--user", default="admin")
        notify = sub.add_parser("notify", help="変更通知を NATS JetStream に送る（--once で一度だけ。既定は送り続ける）")
        notify.add_argument("--once", action="store_true")
        notify.add_argument("--interval", type=float, default=1.0, help="新しい異動を見に行く間隔（秒）")
        notify.add_argument("--url", default=None, help="NATS の URL（既定: 設定 JUMIN_NATS_URL、nats://127.0.0.1:4222）")
        export = sub.add_parser("export", help="ファイル連携（差分。--full で全件）を連携先の置き場所に書く")
        export.add_argument("--client", help="連携先のクライアントID（省略時: ファイル連携のすべての連携先）")
        export.add_argument("--full", action="store_true")
        export.add_argument("--user", default="admin")

        schedule = sub.add_parser("schedule", help="ファイル連携を定期実行する（差分は --every 秒ごと、全件は毎日 --full-at に）")
        schedule.add_argument("--every", type=int, default=600, help="差分の間隔（秒。既定 600 = 10分）")
        schedule.add_argument("--full-at", default="02:15", help="全件を書く時刻（HH:MM、既定 02:15）")
        schedule.add_argument("--once", action="store_true", help="1回だけ実行して終わる")
        schedule.add_argument("--user", default="admin")
        cs = sub.add_parser("cs", help="住基ネット（CS）・戸籍とのファイル")
        cs_verbs = cs.add_subparsers(dest="verb", required=True)
        codes = cs_verbs.add_parser("codes", help="住民票コードの在庫ファイルを取り込む（誤りが1件でもあれば全体を取り込まない）")
        codes.add_argument("file")
        codes.add_argument("--user", default="admin")
        cs_verbs.add_parser("stock", help="住民票コードの在庫（未使用・使用済み・警告の閾値）")
        koseki = cs_verbs.add_parser("koseki", help="戸籍届出通知のファイルを読み、仮登録の異動にする（適用はしない）")
        koseki.add_argument("file")
        koseki.add_argument("--user", default="clerk", help="仮登録を入力する職員（異動の入力の権限）")
        move_out = cs_verbs.add_parser("move-out", help="転出証明書情報（特例転出）のファイルを読み、特例転入の仮登録にする（適用はしない）")
        move_out.add_argument("file")
        move_out.add_argument("--user", default="clerk", help="仮登録を入力する職員（異動の入力の権限）")
        notices = cs_verbs.add_parser("notices", help="本人確認情報（CS）と戸籍の附票記載事項通知のファイルを通番順に書く")
        notices.add_argument("--out", required=True, help="CS との受け渡しの置き場所")
        notices.add_argument("--resend", default=None, help="再送する通番の範囲 FROM-TO（FROM の次から TO まで）")
        notices.add_argument("--user", default="admin")
        simulate = cs_verbs.add_parser("simulate", help="試験用のファイルを作る（住民票コードの在庫・戸籍届出通知）")
        simulate.add_argument("what", choices=["codes", "koseki", "move-out"])
        simulate.add_argument("--out", required=True)
        simulate.add_argument("--count", type=int, default=1000)
        simulate.add_argument("--start", type=int, default=0, help="住民票コードの連番の開始（在庫を重ねて作るとき）")

    def handle(self, *args, noun, verb=None, **options):
        if noun == "schedule":
            return self._schedule(options)
        if noun == "cs":
            return self._cs(verb, options)
        if noun == "export":
            return self._export(options)
        if noun == "notify":
            return self._notify(options)
        if verb == "list":
            for c in LinkageClient.objects.order_by("client_id"):
                state = "失効" if c.revoked_at else "有効"
                self.stdout.write(f"{c.client_id}\t{c.name}\t{state}\t{','.join(c.methods)}\t{','.join(c.items)}")
            return
        actor = Actor(user=account_of(options["user"]), terminal=TERMINAL)
        try:
            if verb == "add":
                client, secret = actions.do_add_linkage_client({
                    "business": options["business"], "name": options["name"],
                    "items": options["items"].split(","), "receives_removed": options["removed"],
                    "receives_protected": options["protected"], "methods": options["methods"].split(","),
                    "directory": options["directory"], "charset": options["charset"],
                    **self._character_map(options["character_map"])}, actor=actor)
                self.stdout.write(f"client_id: {client.client_id}\nclient_secret: {secret}\n"
                                  "（シークレットは再表示できません。連携先の設定に控えてください）")
            elif verb == "rotate":
                client, secret = actions.do_rotate_linkage_secret(options["client_id"], actor=actor)
                self.stdout.write(f"client_id: {client.client_id}\nclient_secret: {secret}\n"
                                  "（シークレットは再表示できません。古いシークレットとトークンは使えなくなりました）")
            else:
                client = actions.do_revoke_linkage_client(options["client_id"], actor=actor)
                self.stdout.write(f"失効しました: {client.client_id}")
        except (RuleViolation, PermissionDenied) as refused:
            for line, value, message in getattr(refused, "problems", ()):
                self.stderr.write(f"{line}行目\t{value}\t{message}")
            raise CommandError(str(getattr(refused, "message", refused))) from refused

    def _schedule(self, options):
        """The file linkage on its schedule (住民記録 §7: 差分 at least every 10 minutes; 全件 nightly): each cycle the
        differential for every file 連携先 that is due (rules.retry_delay_minutes after failures), and once a day after
        --full-at the full. A cycle that fails for one 連携先 goes on with the others and the next cycle."""
        import time

        from django.utils import timezone

        from jumin.linkage import rules
        from jumin.linkage.models import LinkageRun

        try:
            full_at = rules.clean_full_at(options["full_at"])
        except RuleViolation as refused:
            raise CommandError(refused.message) from refused
        if options["every"] < 10:
            raise CommandError("--every は10秒以上で指定してください。")
        while True:
            last = LinkageRun.objects.filter(kind=LinkageRun.FULL, ok=True).order_by("-at").values_list("at", flat=True)
            last_day = timezone.localtime(last[0]).date() if last else None
            for full in ([False, True] if rules.full_due(timezone.localtime(), last_full_day=last_day,
                                                         full_at=full_at) else [False]):
                try:
                    self._export({**options, "client": None, "full": full})
                except CommandError as failed:
                    self.stderr.write(str(failed))
            if options["once"]:
                return
            time.sleep(options["every"])

    def _export(self, options):
        """Every 10 minutes from the system's timer (差分), nightly with --full (docs/linkage/files.md)."""
        from jumin.linkage.deliveries import retry_wait

        actor = Actor(user=account_of(options["user"]), terminal=TERMINAL)
        if options.get("client"):
            codes = [options["client"]]          # asked for by name: now, whatever the failures (再送)
        else:
            codes = []
            for c in LinkageClient.objects.filter(revoked_at__isnull=True).order_by("client_id"):
                if "file" not in c.methods:
                    continue
                wait = retry_wait(c)
                if wait:
                    self.stderr.write(f"{c.client_id}: {wait}")
                else:
                    codes.append(c.client_id)
        failed = 0
        for code in codes:
            try:
                run = actions.do_export_files(code, actor=actor, full=options["full"])
            except (RuleViolation, PermissionDenied) as refused:
                raise CommandError(str(getattr(refused, "message", refused))) from refused
            if not run.ok:
                failed += 1
                self.stderr.write(f"{code}: 失敗 — {run.message}（次の実行で同じ範囲を送り直します）")
            elif run.file_name:
                self.stdout.write(f"{code}: {run.file_name}（{run.rows:,} 行、通番 {run.from_seq + 1}〜{run.to_seq}）")
            else:
                self.stdout.write(f"{code}: 新しい異動はありません（通番 {run.to_seq} まで送付済み）")
        if failed:
            raise CommandError(f"{failed} 件の連携先に書けませんでした。")

    def _notify(self, options):
        """The publisher: every `interval` seconds, what is new; a broker that is down is retried with backoff."""
        import time

        from jumin.linkage.notify import publish_pending

        pause = options["interval"]
        while True:
            try:
                sent = publish_pending(url=options["url"])
                pause = options["interval"]
            except (OSError, Exception) as error:  # noqa: BLE001 - the broker down or refusing: retry, never lose
                if options["once"]:
                    raise CommandError(f"NATS に送れませんでした: {error}") from error
                self.stderr.write(f"NATS に送れませんでした（{pause:.0f} 秒後に再試行）: {error}")
                sent, pause = 0, min(pause * 2, 60)
            if sent:
                self.stdout.write(f"変更通知 {sent:,} 件を送りました")
            if options["once"]:
                return
            time.sleep(pause)

    def _cs(self, verb, options):
        """住基ネット CS and 戸籍 files (docs/linkage/cs.md)."""
        from pathlib import Path

        from jumin.core.errors import FileRefused
        from jumin.linkage import synthetic

        if verb == "stock":
            from jumin.linkage.queries import resident_code_stock

            stock = resident_code_stock()
            self.stdout.write(f"未使用 {stock['free']:,} 件、使用済み {stock['used']:,} 件（警告の閾値 {stock['threshold']:,} 件）")
            if stock["low"]:
                self.stderr.write("住民票コードの在庫が閾値を下回っています。住基ネット（CS）に新しいコードを依頼してください。")
            return
        if verb == "simulate":
            if options["what"] == "codes":
                data = synthetic.resident_code_file(options["count"], start=options["start"])
            elif options["what"] == "move-out":
                from django.utils import timezone

                data = synthetic.move_out_file(synthetic.sample_move_out(
                    moved_on=timezone.localdate().isoformat(), first=options["start"] or 1))
            else:
                from jumin.register.models import Resident

                people = Resident.objects.filter(status="resident", birth_date__isnull=False) \
                    .order_by("addressee_number")[:options["count"]]
                from django.utils import timezone

                data = synthetic.koseki_notice_file(
                    synthetic.sample_koseki_notices(people, on=timezone.localdate().isoformat()))
            Path(options["out"]).write_bytes(data)
            self.stdout.write(f"{options['out']} を作りました（{len(data):,} バイト）")
            return
        actor = Actor(user=account_of(options["user"]), terminal=TERMINAL)
        if verb == "notices":
            return self._cs_notices(options, actor)
        path = Path(options["file"])
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(f"ファイル {path} を読めません: {error}") from error
        try:
            if verb == "codes":
                loaded, free = actions.do_load_resident_codes(data, source=path.name, actor=actor)
                self.stdout.write(f"住民票コード {loaded:,} 件を在庫に取り込みました（未使用 {free:,} 件）")
            else:
                read = actions.do_read_koseki_notices if verb == "koseki" else actions.do_read_move_out_info
                rows = read(data, source=path.name, actor=actor)
                for row in rows:
                    state = f"仮登録 異動ID {row.change_id}" if row.change_id else f"要確認: {row.message}"
                    self.stdout.write(f"{row.line}行目 {row.notice_number} {row.kind} {row.addressee_number}: {state}")
                self.stdout.write(f"{len(rows):,} 件の通知を取り込みました（取込済みの通知は除く）。"
                                  "仮登録の異動は審査・本登録で確定します。")
        except FileRefused as refused:
            for line, value, message in refused.problems:
                self.stderr.write(f"{line}行目\t{value}\t{message}")
            raise CommandError(refused.message) from refused
        except (RuleViolation, PermissionDenied) as refused:
            raise CommandError(str(getattr(refused, "message", refused))) from refused

    def _cs_notices(self, options, actor):
        resend = None
        if options["resend"]:
            try:
                low, high = (int(part) for part in options["resend"].split("-", 1))
            except ValueError as error:
                raise CommandError("--resend は 通番-通番 の形で指定してください（例: 100-250）。") from error
            resend = (low, high)
        try:
            runs = actions.do_write_cs_notices(options["out"], actor=actor, resend=resend)
        except (RuleViolation, PermissionDenied) as refused:
            raise CommandError(str(getattr(refused, "message", refused))) from refused
        failed = [run for run in runs if not run.ok]
        for run in runs:
            label = run.get_kind_display()
            if not run.ok:
                self.stderr.write(f"{label}: 失敗 — {run.message}（次の実行で同じ範囲を書き直します）")
            elif run.file_name:
                extra = f"、住民票コードがなく送れない {run.exceptions} 件は .exceptions.csv に" if run.exceptions else ""
                self.stdout.write(f"{label}: {run.file_name}（{run.rows:,} 行、通番 {run.from_seq + 1}〜{run.to_seq}{extra}）")
            else:
                self.stdout.write(f"{label}: 新しい通知はありません（通番 {run.to_seq} まで作成済み）")
        if failed:
            raise CommandError("通知ファイルを書けませんでした。")

    def _character_map(self, path) -> dict:
        """The municipality's character map file as bytes (read and checked by do_add_linkage_client)."""
        from pathlib import Path

        if not path:
            return {}
        try:
            return {"character_map_file": Path(path).read_bytes()}
        except OSError as error:
            raise CommandError(f"文字の対応表 {path} を読めません: {error}") from error
