"""Pure rules of the linkage outbox (issue #18): which items an event carries and how they are written.

No Django, no I/O."""

from __future__ import annotations

from datetime import date, datetime


def item_values(values: dict | None, names) -> dict | None:
    """A person's items as an event carries them: the named items only, dates as ISO text (JSON), None for a
    person who did not exist before the change."""
    if values is None:
        return None
    out = {}
    for name in names:
        value = values.get(name)
        out[name] = value.isoformat() if isinstance(value, (date, datetime)) else value
    return out


def changed_items(before: dict | None, after: dict) -> list[str]:
    """The item names whose value the change altered (all of them for a new person), in the order given."""
    if before is None:
        return [name for name, value in after.items() if value not in ("", None, False)]
    return [name for name in after if before.get(name) != after[name]]


METHODS = {"pull": "REST API（PULL）", "file": "ファイル連携（CSV）", "notify": "変更通知（NATS）"}
INDIVIDUAL_NUMBER = "individual_number"


def valid_bucket(name: str) -> bool:
    """An S3 bucket name: 3–63 lower-case letters, digits, hyphens and dots, starting and ending with a letter or digit."""
    import re

    return bool(re.fullmatch(r"[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]", name))


def clean_client(data: dict, *, known_items: dict[str, str], number_use: frozenset[str],
                 business_names: dict[str, str]) -> dict:
    """A 連携先 as an administrator registers it. `known_items`: the register's dictionary items (name → Japanese
    name); `number_use`: the 業務 that may receive the 個人番号 (番号法 別表, core/businesses.NUMBER_USE)."""
    from jumin.core.errors import RuleViolation

    business = str(data.get("business") or "").strip()
    if business not in business_names:
        raise RuleViolation(f"業務ID「{business[:10]}」はありません（001〜039）。", field="business", code="unknown_business")
    name = str(data.get("name") or "").strip()
    if not name or len(name) > 100:
        raise RuleViolation("連携先の名称を100文字以内で入力してください。", field="name", code="required")
    items = [str(i).strip() for i in (data.get("items") or []) if str(i).strip()]
    if not items:
        raise RuleViolation("受け取る項目を1つ以上指定してください（データディクショナリの項目名）。", field="items",
                            code="required")
    unknown = [i for i in items if i not in known_items]
    if unknown:
        raise RuleViolation(f"項目「{unknown[0][:40]}」は住民票の項目ではありません（データディクショナリの項目名で"
                            "指定してください）。", field="items", code="unknown_item")
    if INDIVIDUAL_NUMBER in items and business not in number_use:
        raise RuleViolation(f"{business_names[business]}（{business}）は番号利用事務ではないため、個人番号を受け取れません"
                            "（番号法 第9条・別表）。", field="items", code="individual_number_not_allowed")
    methods = [str(m).strip() for m in (data.get("methods") or ["pull"]) if str(m).strip()]
    bad = [m for m in methods if m not in METHODS]
    if bad:
        raise RuleViolation(f"連携方式「{bad[0][:20]}」はありません（pull, file, notify）。", field="methods",
                            code="unknown_method")
    directory = str(data.get("directory") or "").strip()
    if "file" in methods and not directory:
        raise RuleViolation("ファイル連携には置き場所（ディレクトリ、または s3://バケット/接頭辞）を指定してください。",
                            field="directory", code="required")
    if directory.startswith("s3://") and not valid_bucket(directory[5:].split("/", 1)[0]):
        raise RuleViolation("S3 のバケット名は3〜63文字の小文字・数字・ハイフン・ピリオドです（s3://バケット/接頭辞）。",
                            field="directory", code="invalid_bucket")
    charset = str(data.get("charset") or "utf-8").strip().lower()
    if charset not in CHARSETS:
        raise RuleViolation(f"文字コード「{charset[:20]}」は扱えません（utf-8 か cp932）。", field="charset",
                            code="unknown_charset")
    character_map = data.get("character_map") or {}
    if character_map and charset != "cp932":
        raise RuleViolation("文字の対応表は文字コード cp932 の連携先にだけ指定できます。", field="character_map")
    return {"business": business, "name": name, "items": list(dict.fromkeys(items)),
            "receives_removed": bool(data.get("receives_removed")),
            "receives_protected": bool(data.get("receives_protected")), "methods": methods, "directory": directory,
            "charset": charset, "character_map": dict(character_map)}


# 共通機能 §2.2.5: scopes `${業務システムID}:${リソース名}:${操作名}` — the providing system's 業務ID (001 住民基本台帳),
# the resource, the operation. The API 仕様書's own names were not retrieved: these are jumin's, kept here.
PROVIDER = "001"
RESOURCES = {"pull": ("changes:read", "persons:read")}
AUTH_METHODS = ("client_secret_basic", "client_assertion_jwt")   # Authlib's name for client_secret_jwt
TOKEN_SECONDS = 300


def scopes_for(methods) -> list[str]:
    """The scopes a 連携先 has from its delivery methods (REST PULL reads the feed and persons)."""
    return [f"{PROVIDER}:{resource}" for method in methods for resource in RESOURCES.get(method, ())]


def hash_secret(secret: str) -> str:
    import hashlib

    return hashlib.sha256(secret.encode()).hexdigest()


def delivered(event: dict, *, items: list[str], receives_removed: bool, receives_protected: bool,
              protected: bool, business: str = "") -> dict:
    """One feed entry of an event for one 連携先 (issue #18 items 2-3): only its items, before and after. A person
    under 支援措置 (now) is a restricted marker with every item masked when the 連携先 receives such persons, and
    withheld (the sequence number only) when it does not; a 除票 person likewise withheld unless it receives 除票.
    Every number is kept, so the consumer can see it missed nothing."""
    entry = {"seq": event["seq"]}
    subject = event.get("subject") or "resident"
    after_items = event["after"] or {}
    removed = after_items.get("status") == "removed"
    hidden_from_business = subject == "non_resident" and after_items.get("other_business_hidden") and \
        business not in {after_items.get("business"), *(after_items.get("referring_businesses") or [])}
    # A change of who is under 支援措置 reaches every 連携先 — the number and the flag only — so a system that
    # holds the person from before knows to restrict them; anything else of a protected person only reaches a
    # 連携先 that receives such persons.
    protection_flag = event["change_kind"] == "flag.protection"
    if (protected and not receives_protected and not protection_flag) or (removed and not receives_removed) \
            or hidden_from_business:
        return {**entry, "withheld": True}
    entry.update({"withheld": False, "subject": subject, "kind": event["change_kind"],
                  "reason_code": event["reason_code"], "addressee_number": event["addressee_number"],
                  "effective_on": event["effective_on"], "recorded_at": event["recorded_at"], "restricted": protected})
    if subject == "flag":
        return {**entry, "household_number": "", "before": None, "after": dict(after_items),
                "changed": list(after_items)}
    if protected:
        return {**entry, "household_number": "", "before": None, "after": None, "changed": []}

    def only(values):
        return None if values is None else {name: values.get(name) for name in items}

    before, after = only(event["before"]), only(event["after"])
    return {**entry, "household_number": event["household_number"], "before": before, "after": after,
            "changed": changed_items(before, after)}


def entry_digest(entries: list[dict]) -> str:
    """The checksum both sides can compute over the feed entries of a day (reconciliation, issue #18 item 6): SHA-256
    of each entry as canonical JSON (sorted keys, UTF-8, no spaces), one per line, in sequence order."""
    import hashlib
    import json

    text = "\n".join(json.dumps(e, sort_keys=True, ensure_ascii=False, separators=(",", ":")) for e in entries)
    return hashlib.sha256(text.encode()).hexdigest()


# ------------------------------------------------------------------ 住基ネット CS files (issue #18 item 7)
# Layouts: docs/linkage/cs.md. A file is read whole or refused whole: every problem is reported with its line.

CODE_HEADER = "住民票コード"


def decode_file(data: bytes) -> tuple[list[str], list[tuple[int, str, str]]]:
    """The file's lines (UTF-8, a BOM allowed, CRLF or LF), or one problem naming the first undecodable line."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[:error.start].count(b"\n") + 1
        return [], [(line, "", "文字コードが UTF-8 ではありません（読めないバイトがあります）。ファイル全体を取り込みません。")]
    return text.splitlines(), []


def read_code_file(data: bytes, *, is_valid) -> tuple[list[str], list[tuple[int, str, str]]]:
    """住民票コードの在庫 file: one 11-digit code per line, an optional header line 「住民票コード」, blank lines
    ignored. Returns the codes in order and the problems (line, value, message); any problem refuses the file.
    `is_valid` is the check-digit test (core.check_digits.is_valid_resident_code)."""
    lines, problems = decode_file(data)
    codes: list[str] = []
    first_line: dict[str, int] = {}
    for number, raw in enumerate(lines, start=1):
        value = raw.strip()
        if not value or (number == 1 and value == CODE_HEADER):
            continue
        shown = value[:20]
        if len(value) != 11 or not (value.isascii() and value.isdigit()):
            problems.append((number, shown, "住民票コードは11桁の数字です。"))
        elif not is_valid(value):
            problems.append((number, shown, "住民票コードの検査用数字が一致しません。"))
        elif value in first_line:
            problems.append((number, shown, f"{first_line[value]}行目と同じ住民票コードです。"))
        else:
            first_line[value] = number
            codes.append(value)
    if not codes and not problems:
        problems.append((0, "", "住民票コードが1件もありません。"))
    return codes, problems


# 戸籍届出通知 (法第9条第2項: the 本籍地 tells the 住所地 what a 戸籍 届出 changed). Each kind: the register change
# it becomes (a draft for a clerk, never applied by itself) and which of the new items it may carry.
NOTICE_COLUMNS = ["通知番号", "届出の種類", "届出年月日", "効力発生日", "宛名番号", "生年月日", "氏名", "本籍", "筆頭者",
                  "備考"]
NOTICE_ITEMS = {"氏名": "name", "本籍": "domicile", "筆頭者": "domicile_head"}
NOTICE_KINDS = {
    "婚姻": ("correction", ("氏名", "本籍", "筆頭者")),
    "離婚": ("correction", ("氏名", "本籍", "筆頭者")),
    "養子縁組": ("correction", ("氏名", "本籍", "筆頭者")),
    "離縁": ("correction", ("氏名", "本籍", "筆頭者")),
    "氏の変更": ("correction", ("氏名", "本籍", "筆頭者")),
    "転籍": ("correction", ("本籍", "筆頭者")),
    "死亡": ("death", ()),
}


def _iso_date(value: str) -> bool:
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return len(value) == 10


def _records(rows: list[list[str]], columns: list[str], problems: list, seen: dict):
    """The well-shaped data rows of a CSV file with header `columns`: (line, record by column with "line"); a wrong
    header, a wrong column count and a missing or repeated 通知番号 are added to `problems` (the file is refused)."""
    if not rows or [cell.strip() for cell in rows[0]] != columns:
        problems.append((1, ",".join(rows[0])[:80] if rows else "", "見出し行が「" + ",".join(columns) + "」ではありません。"))
        return
    for line, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(columns):
            problems.append((line, "", f"項目の数が {len(row)} です（{len(columns)} 項目）。"))
            continue
        record = {name: cell.strip() for name, cell in zip(columns, row)}
        record["line"] = line
        number = record["通知番号"]
        if not number or len(number) > 30:
            problems.append((line, number[:30], "通知番号がないか、30文字を超えています。"))
        elif number in seen:
            problems.append((line, number, f"{seen[number]}行目と同じ通知番号です。"))
        else:
            seen[number] = line
        yield line, record


def read_notice_file(rows: list[list[str]], *, is_valid_number) -> tuple[list[dict], list[tuple[int, str, str]]]:
    """戸籍届出通知 file, already split into CSV rows (the first is the header NOTICE_COLUMNS). Returns one dict per
    notice (the columns by name, plus its line) and the problems (line, value, message); any problem refuses the
    file. `is_valid_number` checks a 宛名番号's check digit."""
    problems: list[tuple[int, str, str]] = []
    notices = []
    for line, notice in _records(rows, NOTICE_COLUMNS, problems, {}):
        before = len(problems)
        kind = notice["届出の種類"]
        if kind not in NOTICE_KINDS:
            problems.append((line, kind[:20], "届出の種類は " + "・".join(NOTICE_KINDS) + " のいずれかです。"))
        for column in ("届出年月日", "効力発生日", "生年月日"):
            if not _iso_date(notice[column]):
                problems.append((line, notice[column][:20], f"{column}は YYYY-MM-DD（西暦）で記載してください。"))
        if not is_valid_number(notice["宛名番号"]):
            problems.append((line, notice["宛名番号"][:20], "宛名番号が10桁でないか、検査用数字が一致しません。"))
        if kind in NOTICE_KINDS:
            allowed = NOTICE_KINDS[kind][1]
            given = [column for column in NOTICE_ITEMS if notice[column]]
            extra = [column for column in given if column not in allowed]
            if extra:
                problems.append((line, "・".join(extra), f"{kind}の通知には{'・'.join(extra)}を記載できません。"))
            elif allowed and not given:
                problems.append((line, "", f"{kind}の通知に、変わった事項（{'・'.join(allowed)}）がありません。"))
            if kind == "転籍" and not notice["本籍"]:
                problems.append((line, "", "転籍の通知には新しい本籍が必要です。"))
        if len(problems) == before:
            notices.append(notice)
    if not notices and not problems:
        problems.append((0, "", "通知が1件もありません。"))
    return notices, problems


# 本人確認情報 (住民基本台帳法 第30条の6: 氏名, 生年月日, 性別, 住所, 住民票コード, 個人番号 and the change that
# altered them) for CS, and 戸籍の附票 記載事項通知 (法第19条第1項) for a person whose 本籍 is in another municipality
# — one line per linkage event that changed such an item, in event order (docs/linkage/cs.md).
IDENTITY_ITEMS = ("name", "birth_date", "sex", "address", "resident_code", "individual_number", "status")
IDENTITY_HEADER = ["通番", "異動事由", "異動年月日", "住民票コード", "氏名", "生年月日", "性別", "住所", "個人番号",
                   "消除", "支援措置"]
FUHYO_ITEMS = ("name", "birth_date", "sex", "address", "address_since", "resident_code", "domicile",
               "domicile_head", "status")
FUHYO_HEADER = ["通番", "異動事由", "異動年月日", "本籍", "筆頭者", "氏名", "生年月日", "性別", "住所", "住所を定めた年月日",
                "住民票コード", "消除", "支援措置"]


def _touches(event: dict, items) -> bool:
    before, after = event["before"], event["after"] or {}
    return before is None or any(before.get(name) != after.get(name) for name in items)


def identity_notices(events: list[dict], *, protected: set[str]) -> tuple[list[list], list[tuple[int, str, str]]]:
    """The 本人確認情報 lines of these events and the exceptions (seq, 宛名番号, why): a person without a 住民票コード
    cannot be told to CS — listed for a clerk to give the code (住民票コードの職権記載), never dropped unseen."""
    rows, exceptions = [], []
    for event in events:
        if not _touches(event, IDENTITY_ITEMS):
            continue
        after = event["after"] or {}
        if not after.get("resident_code"):
            exceptions.append((event["seq"], event["addressee_number"], "住民票コードが記載されていないため送れません"))
            continue
        rows.append([event["seq"], event["reason_code"], event["effective_on"] or "", after["resident_code"],
                     after.get("name") or "", after.get("birth_date") or "", after.get("sex") or "",
                     after.get("address") or "", after.get("individual_number") or "",
                     "1" if after.get("status") == "removed" else "", "1" if event["addressee_number"] in protected else ""])
    return rows, exceptions


MOVE_IN_HEADER = ["通番", "転入年月日", "住民票コード", "氏名", "生年月日", "性別", "住所", "転入前住所", "支援措置"]


def move_in_notices(events: list[dict], *, protected: set[str]) -> tuple[list[list], list[tuple[int, str, str]]]:
    """転入通知 (法第9条第1項: the new municipality tells the old one a person has moved in): one line per person who
    became a resident by 国内転入 (a new record, or a 除票 that came back), with the 転入前住所 that routes it; a person
    without a 住民票コード is an exception, as for 本人確認情報."""
    rows, exceptions = [], []
    for event in events:
        after, before = event["after"] or {}, event["before"]
        if event["reason_code"] != "move_in_domestic" or (before is not None and before.get("status") != "removed"):
            continue
        if not after.get("resident_code"):
            exceptions.append((event["seq"], event["addressee_number"], "住民票コードが記載されていないため送れません"))
            continue
        rows.append([event["seq"], event["effective_on"] or "", after["resident_code"], after.get("name") or "",
                     after.get("birth_date") or "", after.get("sex") or "", after.get("address") or "",
                     after.get("previous_address") or "", "1" if event["addressee_number"] in protected else ""])
    return rows, exceptions


def outside_domicile(after: dict, *, municipality: str) -> bool:
    """A Japanese resident whose recorded 本籍 is not in this municipality (`municipality` = 都道府県名 + 市区町村名)."""
    return (after.get("resident_type") == "japanese" and after.get("domicile_status") == "recorded"
            and bool(after.get("domicile")) and not str(after["domicile"]).startswith(municipality))


def fuhyo_notices(events: list[dict], *, protected: set[str], municipality: str) -> list[list]:
    """The 附票記載事項通知 lines: events of persons whose 本籍 is elsewhere that changed a 附票 item (a new resident,
    a new address, a 消除 such as 国外転出 included)."""
    rows = []
    for event in events:
        after = event["after"] or {}
        if not outside_domicile(after, municipality=municipality) or not _touches(event, FUHYO_ITEMS):
            continue
        rows.append([event["seq"], event["reason_code"], event["effective_on"] or "", after["domicile"],
                     after.get("domicile_head") or "", after.get("name") or "", after.get("birth_date") or "",
                     after.get("sex") or "", after.get("address") or "", after.get("address_since") or "",
                     after.get("resident_code") or "", "1" if after.get("status") == "removed" else "",
                     "1" if event["addressee_number"] in protected else ""])
    return rows


# ------------------------------------------------------------------ delivery you can prove (issue #18 item 6)

RETRY_FIRST_MINUTES, RETRY_MAX_MINUTES = 10, 360
DEAD_AFTER = 5


def retry_delay_minutes(failures: int) -> int:
    """How long the scheduled file linkage waits after `failures` failed runs in a row before it tries that 連携先
    again: the timer's 10 minutes, doubling, at most 6 hours. A supervisor's 再送 does not wait."""
    if failures <= 0:
        return 0
    return min(RETRY_FIRST_MINUTES * 2 ** (failures - 1), RETRY_MAX_MINUTES)


def delivery_state(*, methods, last_seq: int, acknowledged_seq: int, failures: int) -> str:
    """One word for the screen: 停止 (dead letter: DEAD_AFTER failures in a row — waits for a supervisor's 再送),
    再試行中, 遅延なし (everything acknowledged), or 未確認あり."""
    if "file" in methods and failures >= DEAD_AFTER:
        return "停止（再送待ち）"
    if failures:
        return "再試行中"
    return "遅延なし" if acknowledged_seq >= last_seq else "未確認あり"


# ------------------------------------------------------------------ characters (issue #18 item 8)
# Output is 行政事務標準文字 as stored (MJ, IVS kept). A 連携先 whose system still runs on Shift_JIS gets its files in
# CP932 (JIS X 0208 with the Windows extensions), each character it cannot hold replaced — never a silent "?" —
# and listed in the run's exceptions file: first the municipality's own map for that 連携先, then the national
# MJ縮退マップ (the 異体字 → 正字 map of search/variants.py: 髙 → 高, 邉 → 辺), then the base character without its
# variation selector (葛󠄀 → 葛), and only when none of these can be written, 〓 (U+3013).

CHARSETS = {"utf-8": "UTF-8（行政事務標準文字のまま。IVS を含む）",
            "cp932": "Shift_JIS（CP932。書けない文字は対応表・MJ縮退マップで置き換えて一覧に出す）"}
GETA = "〓"


def writable(text: str) -> bool:
    """Whether CP932 writes `text` as itself (not as another character, e.g. U+301C 〜 as U+FF5E ～)."""
    try:
        return text.encode("cp932").decode("cp932") == text
    except UnicodeEncodeError:
        return False


def _clusters(text: str):
    """A character with the variation selectors (IVS, SVS) that follow it."""
    cluster = ""
    for ch in text:
        code = ord(ch)
        if cluster and (0xFE00 <= code <= 0xFE0F or 0xE0100 <= code <= 0xE01EF):
            cluster += ch
            continue
        if cluster:
            yield cluster
        cluster = ch
    if cluster:
        yield cluster


def to_cp932(text: str, *, local_map: dict[str, str], variants: dict[str, str]) -> tuple[str, list[tuple[str, str, str]]]:
    """`text` as CP932 can hold it, and each replacement as (original, replacement, how)."""
    if writable(text):
        return text, []
    out, replaced = [], []
    for cluster in _clusters(text):
        if writable(cluster):
            out.append(cluster)
            continue
        base = cluster[0]
        for how, table in (("市区町村の対応表", local_map), ("MJ縮退マップ", variants)):
            target = table.get(cluster) or table.get(base)
            if target and writable(target):
                break
        else:
            how, target = ("異体字セレクタを除去", base) if writable(base) else ("代替文字", GETA)
        out.append(target)
        replaced.append((cluster, target, how))
    return "".join(out), replaced


def read_character_map(rows: list[list[str]]) -> tuple[dict[str, str], list[tuple[int, str, str]]]:
    """A municipality's character map for one 連携先: CSV rows with the header 「元の文字,置き換える文字」, one character
    (with its selector, if any) to what CP932 can write. Returns the map and the problems (line, value, message)."""
    problems: list[tuple[int, str, str]] = []
    if not rows or [c.strip() for c in rows[0][:2]] != ["元の文字", "置き換える文字"]:
        return {}, [(1, "", "見出し行が「元の文字,置き換える文字」ではありません。")]
    out: dict[str, str] = {}
    for line, row in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in row):
            continue
        if len(row) != 2 or not row[0].strip() or len(list(_clusters(row[0].strip()))) != 1:
            problems.append((line, ",".join(row)[:20], "1行に「元の文字（1文字）,置き換える文字」を書いてください。"))
            continue
        original, target = row[0].strip(), row[1].strip()
        if not target or not writable(target):
            problems.append((line, target[:20], "置き換える文字が Shift_JIS（CP932）で書けません。"))
        elif original in out:
            problems.append((line, original, "同じ文字が2回あります。"))
        else:
            out[original] = target
    return out, problems


# 転出証明書情報 (特例転出: the 転出地 sends it through CS to the 転入予定地; standard-spec §3.2 特例転入). One line per
# person, the persons of one household moving together sharing 世帯; each household becomes one 転入 draft.
MOVE_OUT_COLUMNS = ["通知番号", "世帯", "転出地の団体コード", "氏名", "氏名フリガナ", "生年月日", "性別", "世帯主との続柄",
                    "本籍", "筆頭者", "住民票コード", "個人番号", "転出前郵便番号", "転出前住所", "転出予定年月日",
                    "転入先郵便番号", "転入先住所"]
SHARED_BY_HOUSEHOLD = ("転出地の団体コード", "転出前住所", "転出予定年月日", "転入先住所")


def read_move_out_file(rows: list[list[str]], *, valid_code, valid_number, valid_municipality) \
        -> tuple[dict[str, list[dict]], list[tuple[int, str, str]]]:
    """転出証明書情報 file (CSV rows, the first the header MOVE_OUT_COLUMNS). Returns the households (世帯 → its persons,
    each a dict by column with its line) and the problems (line, value, message); any problem refuses the file.
    The check digits: `valid_code` (住民票コード), `valid_number` (個人番号), `valid_municipality` (団体コード)."""
    problems: list[tuple[int, str, str]] = []
    households: dict[str, list[dict]] = {}
    for line, person in _records(rows, MOVE_OUT_COLUMNS, problems, {}):
        for column in ("世帯", "氏名", "転出前住所", "転入先住所", "世帯主との続柄"):
            if not person[column]:
                problems.append((line, "", f"{column}がありません。"))
        for column in ("生年月日", "転出予定年月日"):
            if not _iso_date(person[column]):
                problems.append((line, person[column][:20], f"{column}は YYYY-MM-DD（西暦）で記載してください。"))
        if person["性別"] not in ("1", "2"):
            problems.append((line, person["性別"][:5], "性別は 1（男）か 2（女）です。"))
        if not valid_code(person["住民票コード"]):
            problems.append((line, person["住民票コード"][:20], "住民票コードが11桁でないか、検査用数字が一致しません。"))
        if person["個人番号"] and not valid_number(person["個人番号"]):
            problems.append((line, "", "個人番号が12桁でないか、検査用数字が一致しません。"))
        if not valid_municipality(person["転出地の団体コード"]):
            problems.append((line, person["転出地の団体コード"][:10], "転出地の団体コードが6桁でないか、検査用数字が一致しません。"))
        group = households.setdefault(person["世帯"], [])
        if group and any(group[0][c] != person[c] for c in SHARED_BY_HOUSEHOLD):
            problems.append((line, person["世帯"][:20], "同じ世帯の方で、転出地・転出前住所・転出予定年月日・転入先住所が"
                             f"{group[0]['line']}行目と異なります。"))
        group.append(person)
    if not households and not problems:
        problems.append((0, "", "転出証明書情報が1件もありません。"))
    return households, problems


# ------------------------------------------------------------------ the schedule (issue #18 item 4)
# 住民記録 §7: differential data at least every 10 minutes; the full data nightly. `jumin linkage schedule` runs both.
EVERY_SECONDS = 600
FULL_AT = "02:15"


def full_due(now, *, last_full_day, full_at: str = FULL_AT) -> bool:
    """Whether the nightly full run is due at local time `now`: past `full_at` (HH:MM) today, and none done today."""
    hours, minutes = (int(part) for part in full_at.split(":", 1))
    passed = (now.hour, now.minute) >= (hours, minutes)
    return passed and (last_full_day is None or last_full_day < now.date())


def clean_full_at(value: str) -> str:
    """HH:MM (24-hour) for the nightly full run, or a RuleViolation."""
    import re

    from jumin.core.errors import RuleViolation

    if not isinstance(value, str) or not re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d", value.strip()):
        raise RuleViolation("全件の時刻は 24 時間制の HH:MM（例: 02:15）で指定してください。", field="full_at")
    return value.strip()
