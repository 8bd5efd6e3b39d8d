"""Sample 住基ネット CS files for the demo and the tests (the simulator of issue #18 item 7): what CS and the 戸籍
system would send, in the layouts of docs/linkage/cs.md. The register's synthetic city uses FAKE 住民票コード that
start with "99" (register/synthetic.resident_codes); the pool's start with "98", so a pool never holds a code a
synthetic resident already has."""

from __future__ import annotations

from jumin.core.check_digits import resident_code_check_digit
from jumin.core.csvfile import iter_csv
from jumin.linkage.rules import CODE_HEADER, NOTICE_COLUMNS


def pool_codes(count: int, *, start: int = 0) -> list[str]:
    """`count` FAKE 住民票コード, "98" + an affine permutation of start..start+count-1 (8 digits) + check digit."""
    codes = []
    for body in range(start, start + count):
        base = f"98{(body * 61_803_397 + 31_337) % 10 ** 8:08d}"
        codes.append(f"{base}{resident_code_check_digit(base)}")
    return codes


def resident_code_file(count: int, *, start: int = 0) -> bytes:
    """A 住民票コードの在庫 file as CS writes it: a header line, one code per line."""
    return ("\r\n".join([CODE_HEADER, *pool_codes(count, start=start)]) + "\r\n").encode("utf-8")


def koseki_notice_file(notices: list[dict]) -> bytes:
    """A 戸籍届出通知 file: UTF-8 CSV with the header NOTICE_COLUMNS; each notice a dict by column name."""
    return b"".join(iter_csv([[notice.get(column, "") for column in NOTICE_COLUMNS] for notice in notices],
                             NOTICE_COLUMNS))


def sample_koseki_notices(people, *, on: str, first: int = 1) -> list[dict]:
    """One notice per person given (objects with addressee_number, birth_date, name, domicile): in turn a 婚姻 (the
    氏 changes to 「仙台」, a new 本籍 and 筆頭者), a 転籍 (a new 本籍), a 死亡."""
    notices = []
    for i, person in enumerate(people):
        kind = ("婚姻", "転籍", "死亡")[i % 3]
        notice = {"通知番号": f"K{on.replace('-', '')}{first + i:06d}", "届出の種類": kind, "届出年月日": on,
                  "効力発生日": on, "宛名番号": person.addressee_number,
                  "生年月日": person.birth_date.isoformat() if person.birth_date else "", "備考": ""}
        given = person.name.split("\u3000", 1)[-1] if "\u3000" in person.name else person.name
        if kind == "婚姻":
            notice |= {"氏名": f"仙台\u3000{given}", "本籍": "宮城県仙台市青葉区国分町三丁目7番1号",
                       "筆頭者": f"仙台\u3000{given}"}
        elif kind == "転籍":
            notice |= {"本籍": "宮城県仙台市泉区泉中央二丁目1番地の1"}
        notices.append(notice)
    return notices


def move_out_file(households: list[dict]) -> bytes:
    """A 転出証明書情報 file (docs/linkage/cs.md): `households` each {"世帯": …, "persons": [dict by column]} with the
    columns shared by the household given once on the household."""
    from jumin.linkage.rules import MOVE_OUT_COLUMNS, SHARED_BY_HOUSEHOLD

    rows = []
    for household in households:
        shared = {c: household.get(c, "") for c in (*SHARED_BY_HOUSEHOLD, "転出前郵便番号", "転入先郵便番号")}
        for person in household["persons"]:
            row = {**shared, "世帯": household["世帯"], **person}
            rows.append([row.get(column, "") for column in MOVE_OUT_COLUMNS])
    return b"".join(iter_csv(rows, MOVE_OUT_COLUMNS))


def sample_move_out(*, moved_on: str, first: int = 1) -> list[dict]:
    """One family of three leaving 東京都千代田区 (団体コード 131016) for 仙台市青葉区 by 特例転出, with FAKE 住民票コード
    ("97…") and 個人番号 ("98…") that pass their check digits."""
    from jumin.core.check_digits import individual_number_check_digit

    def number(n: int) -> str:
        base = f"98{(first * 10 + n) * 7_919 % 10 ** 9:09d}"
        return f"{base}{individual_number_check_digit(base)}"

    def code(n: int) -> str:
        base = f"97{(first * 10 + n) * 6_151 % 10 ** 8:08d}"
        return f"{base}{resident_code_check_digit(base)}"

    people = [("佐藤 健", "サトウ ケン", "1980-04-01", "1", "世帯主"), ("佐藤 美咲", "サトウ ミサキ", "1982-07-15", "2", "妻"),
              ("佐藤 陽太", "サトウ ヨウタ", "2015-10-03", "1", "子")]
    return [{"世帯": f"H{first:06d}", "転出地の団体コード": "131016", "転出前郵便番号": "1000014",
             "転出前住所": "東京都千代田区永田町一丁目7番1号", "転出予定年月日": moved_on, "転入先郵便番号": "9800811",
             "転入先住所": "宮城県仙台市青葉区一番町三丁目3番1号",
             "persons": [{"通知番号": f"T{first:06d}-{i + 1}", "氏名": name, "氏名フリガナ": kana, "生年月日": born, "性別": sex,
                          "世帯主との続柄": relation, "本籍": "東京都千代田区永田町一丁目7番", "筆頭者": "佐藤 健",
                          "住民票コード": code(i), "個人番号": number(i)}
                         for i, (name, kana, born, sex, relation) in enumerate(people)]}]
