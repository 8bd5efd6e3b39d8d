"""`jumin addressees duplicates [--user NAME] [--out PATH]` writes the likely duplicates (名寄せの候補: the same
個人番号, folded 氏名 + 生年月日, or 氏名 + 住所, among 住登外者 and against residents) as CSV for review.

`jumin addressees import FILE [--user NAME] [--report PATH]`: load existing 住登外者 with their own 宛名番号
(共通機能 §2.3.5 — no renumbering), all or nothing. The file is CSV in UTF-8 (a BOM is fine) with a header row of
the data dictionary's item names for 住登外者 — code names (addressee_number, name …) or Japanese names (宛名番号,
氏名 …) — one row per person; the address columns are flat (address_kind, postcode, address …) and 参照業務 is a
list of 業務ID separated by spaces. A refused file prints the collision report (and writes it as CSV to --report);
nothing is written until every line is resolved."""

import csv

from django.core.management.base import BaseCommand, CommandError

from jumin.accounts.commands import account_of
from jumin.addressees.actions import ImportRefused, do_import_non_residents
from jumin.addressees.models import NonResidentItems
from jumin.addressees.rules import ADDRESS_ITEMS
from jumin.audit.actions import Actor
from jumin.core.errors import PermissionDenied, RuleViolation

FLAGS = {"other_business_hidden"}


def columns() -> dict[str, str]:
    """Header name (code or Japanese, as in the data dictionary) → item code."""
    out = {}
    for field in NonResidentItems._meta.concrete_fields:
        out[field.name] = field.name
        out[str(field.verbose_name)] = field.name
    return out


def row_items(row: dict[str, str]) -> dict:
    """One CSV row → the items a registration sends (the address nested, 参照業務 a list, flags true/false)."""
    data, address = {}, {}
    for name, value in row.items():
        value = (value or "").strip()
        if not value:
            continue
        if name == "address_kind":
            address["kind"] = value
        elif name in ADDRESS_ITEMS - {"kind"}:
            address[name] = value
        elif name == "referring_businesses":
            data[name] = value.split()
        elif name in FLAGS:
            data[name] = value.lower() in ("1", "true", "はい", "○")
        else:
            data[name] = value
    data["address"] = address
    return data


def read(path: str) -> list[tuple[int, dict]]:
    names = columns()
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            reader = csv.reader(handle)
            header = next(reader, None)
            if not header:
                raise CommandError("ファイルが空です。1行目に項目名を書いてください。")
            unknown = [h for h in header if h.strip() not in names]
            if unknown:
                raise CommandError(f"1行目の項目名「{unknown[0]}」は住登外者の項目ではありません（データディクショナリの項目名で"
                                   "指定してください）。")
            codes = [names[h.strip()] for h in header]
            rows = []
            for line, values in enumerate(reader, start=2):
                if not any(v.strip() for v in values):
                    continue
                if len(values) != len(codes):
                    raise CommandError(f"{line} 行目の項目数（{len(values)}）が1行目（{len(codes)}）と違います。")
                rows.append((line, row_items(dict(zip(codes, values)))))
            return rows
    except UnicodeDecodeError as error:
        raise CommandError("ファイルを UTF-8 として読めません。UTF-8 で保存してください。") from error
    except OSError as error:
        raise CommandError(f"ファイルを開けません: {error}") from error


class Command(BaseCommand):
    help = "住登外者の移行（既存の宛名番号のまま取り込む。重複があればファイル全体を取り込まない）"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="verb", required=True)
        load = sub.add_parser("import", help="住登外者の移行ファイル（CSV）を取り込む")
        load.add_argument("file")
        load.add_argument("--user", default="migration", help="取り込みを行う利用者（操作ログに記録。既定 migration）")
        load.add_argument("--report", help="取り込めなかったときの解消リスト（CSV）の出力先")
        twins = sub.add_parser("duplicates", help="名寄せの候補（重複の疑いのある住登外者）の一覧を CSV で書く")
        twins.add_argument("--user", default="migration", help="一覧を作る利用者（操作ログに記録）")
        twins.add_argument("--out", help="出力先（既定: 標準出力）")

    def handle(self, *args, verb, user, file=None, report=None, out=None, **options):
        account = account_of(user)
        if verb == "duplicates":
            return self._duplicates(account, out)
        rows = read(file)
        try:
            done = do_import_non_residents(rows, actor=Actor(user=account, terminal="jumin addressees import"))
        except ImportRefused as refused:
            for r in refused.report:
                self.stderr.write(f"{r['line']} 行目 {r['addressee_number']}: {r['message']}")
            if report:
                self._write_report(report, refused.report)
            raise CommandError(refused.message) from refused
        except (RuleViolation, PermissionDenied) as refused:
            raise CommandError(str(getattr(refused, "message", refused))) from refused
        self.stdout.write(f"{done['imported']:,} 人の住登外者を取り込みました（宛名番号はそのまま。新しい宛名番号はこれらと"
                          "重なりません）。")

    def _duplicates(self, account, out):
        from jumin.addressees.queries import find_duplicates
        from jumin.core.csvfile import write_csv

        try:
            groups = find_duplicates(actor=Actor(user=account, terminal="jumin addressees duplicates"))
        except PermissionDenied as refused:
            raise CommandError(str(getattr(refused, "message", refused))) from refused
        rows = [[i, g["basis_label"], m["addressee_number"], m["population_label"], m["name"], m["birth_date_display"],
                 m["address"]] for i, g in enumerate(groups, start=1) for m in g["members"]]
        header = ["候補", "理由", "宛名番号", "区分", "氏名", "生年月日", "住所"]
        if out:
            with open(out, "w", encoding="utf-8-sig", newline="") as handle:
                write_csv(rows, header, out=handle)
        else:
            write_csv(rows, header, out=self.stdout)
        self.stderr.write(f"名寄せの候補 {len(groups):,} 件（{len(rows):,} 人）")

    @staticmethod
    def _write_report(path, report):
        from jumin.core.csvfile import write_csv

        with open(path, "w", encoding="utf-8-sig", newline="") as out:
            write_csv([[r["line"], r["addressee_number"], r["code"], r.get("field") or "", r["message"]]
                       for r in report], ["行", "宛名番号", "種類", "項目", "内容"], out=out)

