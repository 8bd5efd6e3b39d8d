"""Benchmark of search (issue #3): how fast a clerk finds a person, against the floor of hand-written SQL.

    DATABASE_URL=... .venv/bin/python bench/search.py [--samples 300] [--reindex]

With --reindex, first rebuilds every search key (jumin.search.bulk.reindex_all, as `jumin reindex_search`
does) and reports its time and the number of keys. Then, after a warm-up, times with time.perf_counter
`jumin.search.queries.search(params, actor=…, page=1, page_size=20)` end to end for five kinds of search,
each sample built from a different living resident drawn at random from the data:

  kana     the first 3–4 folded characters of the resident's 氏名フリガナ surname (every third one typed
           in half-width katakana: ﾀｶﾊｼ);
  name     the resident's full name with every kanji that has a variant replaced by one (高→髙, 崎→﨑,
           辺→邊; variants from the MJ map, BMP code points as an IME types them), or typed without the
           space between 氏 and 名 when no kanji has one (and every third name without the space anyway);
  birth    生年月日 typed in 和暦 (S45.3.1) + 性別;
  address  the first 12 characters of the resident's 住所;
  number   宛名番号, exact;
and two pairs a clerk often types, not in the issue's list: kana_birth (the kana prefix + 生年月日 in 和暦)
and kana_sex (the kana prefix + 性別).

search() does more than its query: it counts the hits up to 101 when the page is full (a second query),
checks the page for 支援措置/抑止 flags (one statement), builds the result rows (和暦 display dates), and
writes one operation-log row per person shown and one search-history row, each INSERT in its own autocommit
transaction. For each sample the same search is also run as the *floor*: search()'s own statements written
by hand on a raw cursor — the same plan against the same indexes, keys folded by the same jumin.search.rules
functions — timed in three parts:

  floor    the page: for one text criterion the key rows on the key index in the page's order (living,
           exact match, フリガナ, 宛名番号; top-N, each person at their first row) and the page's records; for numbers, 生年月日 and 性別 the records up
           to the count cap, ordered in Python as search() orders them;
  +count   the floor plus the count of distinct persons up to 101 (only when the page is full, as search():
           for a text criterion from the first 1,010 key rows of the range);
  +writes  the floor plus count plus the 支援措置/抑止 check of the page (restrictions.queries.any_flags, the
           statement search() runs) and the equivalent writes: one multi-row INSERT into the operation log
           (terminal BENCH-FLOOR) and one INSERT into the search history, each committed.

The ratio of the issue (jumin ÷ the same query by hand, target ≤ 2×) is jumin ÷ (+writes): everything
search() must do. jumin ÷ floor (the page alone) is reported too.
jumin and the floor run alternately first on the same input, so neither always finds the other's pages
in the cache. The floor's page is checked against search()'s (same people in the same order).
Prints markdown tables and writes them into docs/performance.md, chapter "Search (issue #3)".
The bench writes operation-log and search-history rows (user "bench"); it does not change the register.
Never put timings into tests; run this instead.
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jumin.settings")

import django  # noqa: E402

django.setup()

import jaconv  # noqa: E402
import numpy as np  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from register import bench_user, machine, percentiles, size_text  # noqa: E402  (bench/register.py)

from jumin.audit.actions import Actor  # noqa: E402
from jumin.core.wareki import format_wareki_short  # noqa: E402
from jumin.register import choices as c  # noqa: E402
from jumin.register import synthetic  # noqa: E402
from jumin.register.models import Resident  # noqa: E402
from jumin.restrictions.queries import any_flags  # noqa: E402  (already one hand-written statement)
from jumin.search import queries  # noqa: E402
from jumin.search import rules  # noqa: E402
from jumin.search.bulk import reindex_all  # noqa: E402
from jumin.search.variants import load_variant_map  # noqa: E402

DOC = ROOT / "docs" / "performance.md"
CHAPTER = "Search (issue #3)"
PAGE = 20
COUNT_LIMIT = queries.COUNT_CAP + 1
KINDS = {  # kind → (label, p95 target in ms)
    "kana": ("(1) kana prefix (3–4 folded characters of the surname; ⅓ half-width)", 50),
    "name": ("(2) full name with variant folding (髙/﨑/邊 … or no space)", 50),
    "birth": ("(3) birth date in 和暦 + sex (`S45.3.1`)", 50),
    "address": ("(4) address prefix (first 12 characters)", 50),
    "number": ("(5) 宛名番号, exact", 5),
    "kana_birth": ("(6) kana prefix + birth date in 和暦 (the counter's usual pair; not in the issue's list)", 50),
    "kana_sex": ("(7) kana prefix + sex (not in the issue's list)", 50),
}
FIELDS = ("id", "addressee_number", "name", "name_kana", "birth_date", "sex", "address")


# --- inputs -------------------------------------------------------------------------------------------

def living_residents(rng: np.random.Generator, count: int) -> list[dict]:
    """`count` living residents drawn uniformly at random (by id) from the register."""
    with connection.cursor() as cur:
        cur.execute("SELECT MIN(id), MAX(id) FROM register_resident")
        low, high = cur.fetchone()
    out: dict[int, dict] = {}
    while len(out) < count:
        ids = rng.integers(low, high + 1, size=max(4 * (count - len(out)), 100)).tolist()
        for values in Resident.objects.filter(id__in=ids, status=c.RESIDENT).values(*FIELDS):
            out.setdefault(values["id"], values)
    picked = list(out.values())
    order = rng.permutation(len(picked))
    return [picked[i] for i in order[:count]]


def typeable_variants() -> dict[str, list[str]]:
    """正字 → the variants a clerk can type (one BMP code point: CJK unified or compatibility ideographs)."""
    reverse: dict[str, list[str]] = {}
    for variant, base in load_variant_map().items():
        typeable = "\u4e00" <= variant <= "\u9fff" or "\uf900" <= variant <= "\ufaff"
        if len(variant) == 1 and len(base) == 1 and typeable:
            reverse.setdefault(base, []).append(variant)
    return {base: sorted(v) for base, v in reverse.items()}


def kana_input(person: dict, i: int, rng: np.random.Generator) -> str | None:
    surname = (person["name_kana"] or "").replace("\u3000", " ").split(" ")[0]
    folded = rules.fold_kana(surname)
    want = min(int(rng.integers(3, 5)), len(folded))
    if want < queries.MIN_KEY_LENGTH:
        return None
    typed = ""
    for ch in surname:                      # the shortest prefix as written that folds to `want` characters
        typed += ch
        if len(rules.fold_kana(typed)) >= want:
            break
    return jaconv.z2h(typed, kana=True, ascii=False, digit=False) if i % 3 == 2 else typed


def name_input(person: dict, i: int, rng: np.random.Generator, variants: dict[str, list[str]]) -> tuple[str, bool]:
    name = person["name"]
    out, replaced = [], False
    for ch in name:
        choices = variants.get(ch)
        if choices:
            out.append(choices[int(rng.integers(len(choices)))])
            replaced = True
        else:
            out.append(ch)
    typed = "".join(out)
    if not replaced or i % 3 == 2:
        typed = typed.replace("\u3000", "").replace(" ", "")
    return typed, replaced


def build_inputs(kind: str, people: list[dict], rng: np.random.Generator, variants) -> list[dict]:
    items = []
    for i, person in enumerate(people):
        item = {"person": person["addressee_number"]}
        if kind == "kana":
            text = kana_input(person, i, rng)
            if text is None:
                continue
            item["params"] = {"kana": text}
        elif kind == "name":
            text, replaced = name_input(person, i, rng, variants)
            item["params"] = {"name": text}
            item["variant"] = replaced
        elif kind == "birth":
            if not person["birth_date"] or not person["sex"]:
                continue
            item["params"] = {"birth_date": format_wareki_short(person["birth_date"]), "sex": person["sex"]}
        elif kind == "address":
            item["params"] = {"address": person["address"][:12]}
        elif kind == "kana_sex":
            text = kana_input(person, i, rng)
            if text is None or not person["sex"]:
                continue
            item["params"] = {"kana": text, "sex": person["sex"]}
        elif kind == "kana_birth":
            text = kana_input(person, i, rng)
            if text is None or not person["birth_date"]:
                continue
            item["params"] = {"kana": text, "birth_date": format_wareki_short(person["birth_date"])}
        else:
            item["params"] = {"addressee_number": person["addressee_number"]}
        items.append(item)
    return items


# --- the floor: the same search written by hand -------------------------------------------------------

TEXT_KINDS = {  # bench kind → (search() parameter, key kinds, folding)
    "kana": ("kana", "'kana', 'alias_kana'", rules.fold_kana),
    "kana_sex": ("kana", "'kana', 'alias_kana'", rules.fold_kana),
    "name": ("name", "'name', 'former_surname', 'alias'", lambda text: rules.fold_name(text, load_variant_map())),
    "address": ("address", "'address'", rules.fold_address),
}
RECORD = "SELECT r.* FROM register_resident r"


class Floor:
    """search()'s own statements for one input, written by hand on a raw cursor: the same plan and the same
    indexes, without the ORM, the validation or the result dictionaries. What search() adds on top is the
    ratio of the issue."""

    def __init__(self, user):
        self.user_id = user.pk
        self.username, self.role = user.username, user.role

    def run(self, kind: str, params: dict) -> tuple[list[str], int, float, float, float]:
        """(addressee numbers of the page, hits up to COUNT_LIMIT, seconds: page, count, flags + writes)."""
        t0 = time.perf_counter()
        with connection.cursor() as cur:
            if kind in TEXT_KINDS:
                rows, numbers, hits, count = self.page_from_keys(cur, kind, params)
            else:
                rows, numbers, hits, count = self.page_by_fields(cur, kind, params)
            t1 = time.perf_counter()
            if count:
                sql, args, sex = count
                cur.execute(sql, args)
                hits = len(self.of_sex(cur, list({row[0] for row in cur.fetchall()}), sex))
            t2 = time.perf_counter()
            household_of = {row["addressee_number"]: row["household_number"] for row in rows}
            if household_of:  # the results show 支援措置/抑止 flags: the same one-statement check search() makes
                any_flags(household_of)
            self.write(cur, params, numbers, hits)
            t3 = time.perf_counter()
        return numbers, hits, t1 - t0, t2 - t1, t3 - t2

    @staticmethod
    def fetch(cur) -> list[dict]:
        columns = [col[0] for col in cur.description]
        return [dict(zip(columns, row)) for row in cur.fetchall()]

    def page_from_keys(self, cur, kind: str, params: dict):
        """One text criterion (with 性別), as search() reads it from the key index: the key rows in the page's
        order (living, exact, フリガナ, 宛名番号; top-N, each person at their first row; with 性別 as many rows
        as are counted, then the persons of that 性別), then the page's records; the persons counted from the
        first key rows of the range only when the rows read for the page cannot tell."""
        name, kinds, fold = TEXT_KINDS[kind]
        key = fold(params[name])
        sex = params.get("sex")
        low, high = rules.prefix_range(key)
        where = f'kind IN ({kinds}) AND "key" >= %s AND "key" < %s AND living = true'
        limit = 2 * PAGE + queries.PAGE_ROWS_SPARE if sex is None else max(4 * PAGE + queries.PAGE_ROWS_SPARE,
                                                                            queries.COUNT_ROWS)
        cur.execute("SELECT addressee_number, CASE WHEN living THEN 0 ELSE 1 END AS removed, "
                    'CASE WHEN "key" = %s THEN 0 ELSE 1 END AS inexact, sort '
                    f"FROM search_searchkey WHERE {where} "
                    f"ORDER BY removed, inexact, sort, addressee_number LIMIT {limit}", [key, low, high])
        found_rows = cur.fetchall()
        persons = self.of_sex(cur, list(dict.fromkeys(row[0] for row in found_rows)), sex)
        numbers = persons[:PAGE]
        rows = []
        if numbers:
            cur.execute(f"{RECORD} WHERE r.addressee_number IN ({', '.join(['%s'] * len(numbers))})", numbers)
            found = {row["addressee_number"]: row for row in self.fetch(cur)}
            rows = [found[n] for n in numbers if n in found]
        if len(found_rows) < limit or len(persons) > queries.COUNT_CAP:
            return rows, numbers, len(persons), None
        count = (f"SELECT addressee_number FROM search_searchkey WHERE {where} LIMIT {queries.COUNT_ROWS}",
                 [low, high], sex)
        return rows, numbers, None, count

    @staticmethod
    def of_sex(cur, numbers: list[str], sex: str | None) -> list[str]:
        if sex is None or not numbers:
            return numbers
        cur.execute(f"SELECT addressee_number FROM register_resident WHERE addressee_number IN "
                    f"({', '.join(['%s'] * len(numbers))}) AND sex = %s", [*numbers, sex])
        kept = {row[0] for row in cur.fetchall()}
        return [n for n in numbers if n in kept]

    def page_by_fields(self, cur, kind: str, params: dict):
        """Numbers, 生年月日 and 性別: the records up to the count cap, ordered in Python (living, フリガナ, 宛名番号);
        with a kana prefix, the day's people first, then which of them have a matching key."""
        cleaned = queries._clean(params)
        if kind == "birth":
            where, args = "r.birth_date = %s AND r.sex = %s", [cleaned["birth_date"], params["sex"]]
        elif kind == "kana_birth":
            where, args = "r.birth_date = %s", [cleaned["birth_date"]]
        else:
            where, args = "r.addressee_number = %s", [params["addressee_number"]]
        cap = queries.EXACT_FIELD_CAP + 1 if kind == "kana_birth" else COUNT_LIMIT
        cur.execute(f"{RECORD} WHERE {where} AND r.status = %s LIMIT {cap}", args + [c.RESIDENT])
        found = self.fetch(cur)
        if kind == "kana_birth" and found:
            key = rules.fold_kana(params["kana"])
            numbers = [r["addressee_number"] for r in found]
            cur.execute(f"SELECT DISTINCT addressee_number FROM search_searchkey WHERE addressee_number IN "
                        f"({', '.join(['%s'] * len(numbers))}) AND kind IN ('kana', 'alias_kana') "
                        "AND substr(\"key\", 1, %s) = %s AND living", [*numbers, len(key), key])
            matched = {row[0] for row in cur.fetchall()}
            found = [r for r in found if r["addressee_number"] in matched]
        typed = params.get("kana")
        found.sort(key=lambda r: (r["status"] != c.RESIDENT, r["name_kana"] != typed, r["name_kana"],
                                  r["addressee_number"]))
        page = found[:PAGE]
        return page, [r["addressee_number"] for r in page], len(found), None

    def write(self, cur, params: dict, numbers: list[str], hits: int) -> None:
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        detail = json.dumps({"criteria": params, "hits": hits}, ensure_ascii=False)
        rows = [(now, self.user_id, self.username, self.role, "BENCH-FLOOR", "search", n, "ok", False, None, "",
                 detail) for n in (numbers or [""])]
        cur.execute("INSERT INTO audit_operationlog (at, user_id, username, role, terminal, function, "
                    "addressee_number, outcome, individual_number_shown, change_id, reason, detail) VALUES "
                    + ", ".join(["(%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"] * len(rows)),
                    [v for row in rows for v in row])
        cur.execute("INSERT INTO search_searchhistory (user_id, at, criteria, hits) VALUES (%s, %s, %s, %s)",
                    [self.user_id, now, json.dumps(params, ensure_ascii=False), hits])


# --- measuring ----------------------------------------------------------------------------------------

def measure(kind: str, items: list[dict], warmup: int, actor: Actor, floor: Floor) -> dict:
    out = {"jumin": [], "floor": [], "count": [], "writes": [], "hits": [], "capped": 0, "mismatch": [],
           "variant": 0, "samples": []}
    for i, item in enumerate(items):
        params = item["params"]

        def run_jumin():
            start = time.perf_counter()
            result = queries.search(dict(params), actor=actor, page=1, page_size=PAGE)
            return time.perf_counter() - start, result

        if i % 2 == 0:
            elapsed, result = run_jumin()
            numbers, hits, t_page, t_count, t_writes = floor.run(kind, params)
        else:
            numbers, hits, t_page, t_count, t_writes = floor.run(kind, params)
            elapsed, result = run_jumin()
        if i < warmup:
            continue
        out["jumin"].append(elapsed)
        out["floor"].append(t_page)
        out["count"].append(t_page + t_count)
        out["writes"].append(t_page + t_count + t_writes)
        out["hits"].append(result["total"] + (1 if result["total_capped"] else 0))
        out["capped"] += result["total_capped"]
        out["variant"] += bool(item.get("variant"))
        out["samples"].append((elapsed, params))
        shown = [r["addressee_number"] for r in result["results"]]
        if shown != numbers or min(hits, COUNT_LIMIT) != out["hits"][-1]:
            out["mismatch"].append(params)
    return out


def explain(kind: str, params: dict) -> str:
    """The plans of search()'s two statements (count, page) for one input; ANALYZE + BUFFERS on PostgreSQL."""
    criteria = queries._clean(dict(params))
    keys = {n: queries._key(queries.TEXT_CRITERIA[n][2], criteria[n]) for n in queries.TEXT_CRITERIA if n in criteria}
    records = queries.build_queryset(criteria, keys)
    options = {"analyze": True, "buffers": True} if connection.vendor == "postgresql" else {}
    return (f"-- {kind} {params}\n-- count: {records.values('pk')[:COUNT_LIMIT].query}\n"
            + records.values("pk")[:COUNT_LIMIT].explain(**options)
            + f"\n-- page: {records[:PAGE].query}\n" + records[:PAGE].explain(**options) + "\n")


def key_counts() -> dict:
    with connection.cursor() as cur:
        cur.execute("SELECT kind, COUNT(*) FROM search_searchkey GROUP BY kind ORDER BY kind")
        counts = dict(cur.fetchall())
        size = None
        if connection.vendor == "postgresql":
            cur.execute("SELECT pg_total_relation_size('search_searchkey')")
            size = cur.fetchone()[0]
        else:
            try:
                cur.execute("SELECT SUM(pgsize) FROM dbstat WHERE name = 'search_searchkey' OR name IN "
                            "(SELECT name FROM sqlite_master WHERE tbl_name = 'search_searchkey' AND type = 'index')")
                size = cur.fetchone()[0]
            except Exception:  # noqa: BLE001 - dbstat not compiled in
                size = None
    return {"by_kind": counts, "total": sum(counts.values()), "bytes": size}


def write_doc(heading: str, body: str) -> None:
    """Replace the section `### heading` inside the chapter `## Search (issue #3)` (created at the end of the
    file if missing), or add it at the end of that chapter. Nothing outside the chapter is touched: the
    register bench has sections with the same database names under `## Results`."""
    import re

    text = DOC.read_text(encoding="utf-8") if DOC.exists() else "# Performance\n"
    if not re.search(rf"^## {re.escape(CHAPTER)}\n", text, re.M):
        text = text.rstrip() + f"\n\n## {CHAPTER}\n\n"
    start = re.search(rf"^## {re.escape(CHAPTER)}\n", text, re.M).end()
    following = re.search(r"^## ", text[start:], re.M)
    end = start + following.start() if following else len(text)
    chapter = text[start:end]
    section = f"### {heading}\n\n{body.strip()}\n\n"
    pattern = re.compile(rf"^### {re.escape(heading)}\n.*?(?=^### |^## |\Z)", re.S | re.M)
    if pattern.search(chapter):
        chapter = pattern.sub(lambda _: section, chapter)
    else:
        chapter = chapter.rstrip() + "\n\n" + section
    text = text[:start] + "\n" + chapter.strip("\n") + "\n\n" + text[end:]
    DOC.write_text(text.rstrip() + "\n", encoding="utf-8")


def ms(x: float) -> str:
    return f"{x:.1f} ms" if x >= 1 else f"{x:.2f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--samples", type=int, default=300, help="timed samples per kind (default 300)")
    parser.add_argument("--warmup", type=int, default=30, help="untimed samples per kind first (default 30)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--reindex", action="store_true", help="rebuild every search key first (reindex_all)")
    parser.add_argument("--kinds", default=",".join(KINDS), help="comma-separated subset of " + ",".join(KINDS))
    parser.add_argument("--explain", action="store_true",
                        help="print the plans (EXPLAIN ANALYZE, BUFFERS on PostgreSQL) of the sample at p95 per kind")
    parser.add_argument("--note", default="", help="free text for the results (e.g. other load on the machine)")
    parser.add_argument("--no-doc", action="store_true", help="do not write docs/performance.md")
    args = parser.parse_args()
    kinds = [k for k in args.kinds.split(",") if k]
    info = machine()
    shown = [a for i, a in enumerate(sys.argv[1:], 1)
             if a != "--note" and not a.startswith("--note=") and (i < 2 or sys.argv[i - 1] != "--note")]
    command = f"DATABASE_URL={os.environ.get('DATABASE_URL', '(default)')} .venv/bin/python bench/search.py " \
        + shlex.join(shown)
    engine = "PostgreSQL" if connection.vendor == "postgresql" else "SQLite"
    print(f"{engine} · load average {info['load']}", flush=True)

    reindex = None
    if args.reindex:
        print("rebuilding the search keys (reindex_all) …", flush=True)
        load_before = "%.2f %.2f %.2f" % os.getloadavg()
        reindex = reindex_all(progress=lambda persons, keys, seconds: print(
            f"  {persons:,} persons, {keys:,} keys, {seconds:,.0f} s", flush=True)
            if persons % 200_000 < 5000 else None)
        reindex["load"] = f"{load_before} → " + "%.2f %.2f %.2f" % os.getloadavg()
        print(f"  done: {reindex['keys']:,} keys for {reindex['persons']:,} persons in {reindex['seconds']} s",
              flush=True)
    keys = key_counts()
    if not keys["total"]:
        raise SystemExit("no search keys: run with --reindex (or `jumin reindex_search`) first")
    counts = synthetic.summarize(connection)

    rng = np.random.default_rng(args.seed)
    user = bench_user()
    actor = Actor(user=user, terminal="BENCH")
    floor = Floor(user)
    variants = typeable_variants()
    per_kind = args.samples + args.warmup
    pool = living_residents(rng, per_kind * len(kinds) + 200)   # spare for inputs a kind cannot use
    results, loads = {}, {}
    for n, kind in enumerate(kinds):
        people = pool[n * per_kind:(n + 1) * per_kind] + pool[len(kinds) * per_kind:]
        items = build_inputs(kind, people, rng, variants)[:per_kind]
        loads[kind] = os.getloadavg()[0]
        print(f"{kind}: {len(items)} searches ({args.warmup} warm-up) …", flush=True)
        results[kind] = measure(kind, items, args.warmup, actor, floor)
        loads[kind] = f"{loads[kind]:.2f}→{os.getloadavg()[0]:.2f}"

    rows_main = ["| kind | samples | hits: median (share ≥ 101) | p50 | p95 | p99 | target p95 | met | load 1 min |",
                 "| --- | ---: | ---: | ---: | ---: | ---: | ---: | :---: | ---: |"]
    rows_floor = ["| kind | jumin p50 / p95 | floor p50 / p95 | ratio p50 / p95 | floor + count p50 / p95 "
                  "| + flags + writes p50 / p95 | jumin ÷ (the same work by hand), p50 / p95 |",
                  "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
    notes = []
    for kind in kinds:
        r = results[kind]
        label, target = KINDS[kind]
        j, f, fc, fw = (percentiles(r[k]) for k in ("jumin", "floor", "count", "writes"))
        hits = np.array(r["hits"])
        capped = f"{r['capped'] / len(hits):.0%}" if r["capped"] else "0"
        met = "yes" if j["p95"] <= target else "**no**"
        rows_main.append(f"| {label} | {j['n']} | {int(np.median(hits)):,} ({capped}) | {ms(j['p50'])} "
                         f"| {ms(j['p95'])} | {ms(j['p99'])} | ≤ {target} ms | {met} | {loads[kind]} |")
        rows_floor.append(f"| {kind} | {ms(j['p50'])} / {ms(j['p95'])} | {ms(f['p50'])} / {ms(f['p95'])} "
                          f"| **{j['p50'] / f['p50']:.1f}× / {j['p95'] / f['p95']:.1f}×** "
                          f"| {ms(fc['p50'])} / {ms(fc['p95'])} | {ms(fw['p50'])} / {ms(fw['p95'])} "
                          f"| **{j['p50'] / fw['p50']:.1f}× / {j['p95'] / fw['p95']:.1f}×** |")
        if kind == "name":
            notes.append(f"name: {r['variant']} of {j['n']} inputs had at least one kanji replaced by a variant")
        if r["mismatch"]:
            notes.append(f"{kind}: the floor's page or count differed from search()'s for {len(r['mismatch'])} "
                         f"inputs, e.g. {r['mismatch'][0]}")
    if not any("differed" in n for n in notes):
        notes.append("every floor page (people and order) and count matched search()'s")

    if args.explain:
        for kind in kinds:
            samples = sorted(results[kind]["samples"], key=lambda s: s[0])
            print(explain(kind, samples[int(0.95 * (len(samples) - 1))][1]))

    size = synthetic.database_size(connection)
    by_kind = ", ".join(f"{k} {v:,}" for k, v in keys["by_kind"].items())
    reindex_line = (f"- reindex (`reindex_all`, as `jumin reindex_search`): **{reindex['seconds']:,.0f} s "
                    f"({reindex['seconds'] / 60:.1f} min)** for {reindex['persons']:,} persons → {reindex['keys']:,} "
                    f"keys; load average {reindex['load']}\n") if reindex else ""
    body = f"""
- date: {timezone.localtime().strftime('%Y-%m-%d %H:%M JST')} · machine: {info['nproc']} cores ({info['cpu']}), {info['ram']} RAM ·
  {info['db']} · Python {info['python']} · load average at start: {info['load']}
- dataset: seed 1 synthetic city; {counts['residents']:,} residents, {counts['removed']:,} removed records,
  {counts['history']:,} history snapshots; search keys: {keys['total']:,} ({by_kind}),
  table and indexes {size_text(keys['bytes'])}; database size {size_text(size)}
{reindex_line}- command: `{command}`
- {args.samples} samples per kind after {args.warmup} warm-up, each from a different living resident drawn at random
  (bench seed {args.seed}); living residents only (除票 not requested), page 1 of 20
{('- note: ' + args.note) if args.note else ''}

`jumin.search.queries.search` end to end: folding, validation, the page of 20 with its result rows, the
count of hits up to 101 (when the page is full), the 支援措置/抑止 check, and the writes (an operation-log row per person shown and a search-history row,
each committed):

{chr(10).join(rows_main)}

The floor: search()'s own statements by hand on a raw cursor — the page (with its records), then with the
count, then with the 支援措置/抑止 check and the equivalent writes (the whole of the same work). The issue's
ratio is the last column, jumin ÷ the same work by hand (target ≤ 2×):

{chr(10).join(rows_floor)}

{chr(10).join('- ' + n for n in notes)}
"""
    print(body)
    if not args.no_doc:
        write_doc(f"Search on {engine}: {counts['residents']:,} residents + {counts['removed']:,} removed", body)
        print(f"written to {DOC.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
