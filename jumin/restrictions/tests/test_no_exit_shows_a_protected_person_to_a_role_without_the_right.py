"""THE LEAK WALK: every exit of the system — each URL pattern of Django's resolver and each operation of the
OpenAPI document, with its path parameters filled with a 支援措置 person's numbers — is requested by every role
without VIEW_PROTECTED, and no response (HTML, JSON, CSV, PDF, headers) may contain that person's name, new
address or 宛名番号; likewise a person under a 照会抑止 (error). Nothing is listed by hand except how to fill a
parameter: an endpoint added later is walked by itself, and a parameter name the walk does not know fails the
test, so whoever adds it must decide what to fill it with (住民基本台帳事務処理要領 第5-10 支援措置;
standard-spec §6.1 操作権限). The same walk by a clerk (who has the right) must see the person, so the walk
cannot pass by seeing nothing.
"""

import html
import json
import re
import subprocess
from datetime import timedelta
from itertools import product
from urllib.parse import urlencode

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from conftest import _user, actor, family_params, register_state
from jumin.accounts import rules as perms
from jumin.accounts.models import ApiToken
from jumin.core import check_digits
from jumin.register.models import Change, Resident

MIO = "鷲尾 澪"            # the 申出者 of the 支援措置
AKARI = "鷲尾 朱里"        # 併せて支援を求める者, same household
AOI = "栗花落 碧"          # under a 照会抑止 (error), another household
KAEDE = "鷲尾 楓"          # protected, moved out to 東京都: a 除票 the tax office registered as 住登外者 (issue #17)
MOVED_TO = {"postcode": "9813204", "address": "宮城県仙台市泉区紫山三丁目9番21号", "address_supplement": "ラベンダー荘205"}
DRAFT_TO = {"postcode": "9820241", "address": "宮城県仙台市太白区秋保町湯元字薬師28番地", "address_supplement": "月影荘3号"}
AOI_TO = {"postcode": "9830821", "address": "宮城県仙台市宮城野区岩切字鴻ノ巣91番地", "address_supplement": "柘榴荘1号"}
KAEDE_TO = {"postcode": "1920063", "address": "東京都八王子市元横山町三丁目24番1号", "address_supplement": "楓荘102"}
# What must never be shown: names, the addresses moved to (and the draft's), as fragments no other data has.
SECRET_TEXT = [MIO, AKARI, AOI, KAEDE, "紫山三丁目9番21号", "ラベンダー荘", "字薬師28番地", "月影荘", "鴻ノ巣91番地", "柘榴荘",
               "元横山町三丁目24番1号", "楓荘"]

ROLES_WITHOUT = [role for role, _ in perms.ROLE_CHOICES if not perms.has_permission(role, perms.VIEW_PROTECTED)]
ROLE_WITH = perms.CLERK
# Routes that are not operations of the OpenAPI document but belong to it (its own documents).
API_DOCUMENTS = {"api/openapi.json", "api/docs", "api/"}


# ------------------------------------------------------------------ the city

def _approve(change, approver):
    from jumin.register.actions import do_approve_change

    return do_approve_change(change.pk, actor=actor(approver))


def _household_of(name):
    return Resident.objects.get(name=name).household_number


def _move_in(clerk, approver, members, address):
    from jumin.register.actions import do_move_in

    params = family_params(effective_on="R6.4.1", notified_on="R6.4.5", members=members,
                           address={"postcode": "9840011", "address": address})
    return _approve(do_move_in(params, actor=actor(clerk)), approver)


def _relocate(clerk, household, to, effective_on, notified_on):
    from jumin.register.actions import do_relocate

    return do_relocate({"household_number": household, "effective_on": effective_on, "notified_on": notified_on,
                        "address": to}, actor=actor(clerk))


def _person(name, kana, birth, relationship, head, **extra):
    return {"name": name, "name_kana": kana, "birth_date": birth, "sex": "2", "relationship": relationship,
            "domicile_status": "recorded", "domicile": "東京都千代田区千代田1番", "domicile_head": head, **extra}


@pytest.fixture
def city(municipality, clerk, approver, family):
    """Two-step city. 鷲尾 澪 and 朱里 moved in, are protected (DV), moved to 紫山 (approved), have a pending
    転居 draft to 秋保, a 住民票の写し and a 印鑑登録証明書 issued, a registered seal and a seal inquiry.
    栗花落 碧 moved in and to 岩切 (approved) and is under a 照会抑止 at error level. 鷲尾 楓 moved in, is protected,
    moved out to 八王子 and was registered by the tax office as a 住登外者 with her 除票's number. The 山田 family is
    not protected (the walk shows data)."""
    from jumin.certificates.actions import do_issue_certificate
    from jumin.certificates.models import CertificateConfig, Signatory
    from jumin.certificates.seal import default_seal_svg
    from jumin.restrictions.actions import do_register_protection, do_set_restriction
    from jumin.restrictions.tests.conftest import OFFENDER
    from jumin.seals.actions import do_issue_seal_certificate, do_register_seal, do_send_inquiry
    from jumin.seals.tests.conftest import in_person, seal_scan

    municipality.draft_required = True
    municipality.save()
    Signatory.objects.create(title="宮城県仙台市長", name="郡 和子", valid_from=timezone.localdate() - timedelta(days=900),
                             seal_svg=default_seal_svg("仙台市長之印"))
    CertificateConfig.objects.create(place="本庁", verification_url="http://127.0.0.1:8000/certificates/verify/")
    supervisor = _user("supervisor", perms.SUPERVISOR, "支援 五郎")
    number = "73519286401"
    number += str(check_digits.individual_number_check_digit(number))
    code = "4820917365"
    code += str(check_digits.resident_code_check_digit(code))

    moved_in = _move_in(clerk, approver, [
        _person(MIO, "ワシオ ミオ", "S60.7.7", "世帯主", MIO, individual_number=number, resident_code=code),
        _person(AKARI, "ワシオ アカリ", "H10.2.2", "妹", MIO)], "宮城県仙台市若林区荒井東一丁目3番地")
    mio, akari = Resident.objects.get(name=MIO), Resident.objects.get(name=AKARI)
    order = do_register_protection({"addressee_number": mio.addressee_number, "kind": "dv", "offenders": [OFFENDER],
                                    "protected_persons": [{"addressee_number": akari.addressee_number,
                                                           "relationship": "妹"}]}, actor=actor(supervisor))
    relocation = _approve(_relocate(clerk, mio.household_number, MOVED_TO, "R7.3.1", "R7.3.5"), approver)

    aoi_in = _move_in(clerk, approver, [_person(AOI, "ツユリ アオイ", "H2.9.9", "世帯主", AOI)],
                      "宮城県仙台市宮城野区福室一丁目1番1号")
    aoi = Resident.objects.get(name=AOI)
    aoi_move = _approve(_relocate(clerk, aoi.household_number, AOI_TO, "R7.6.1", "R7.6.2"), approver)
    restriction = do_set_restriction({"addressee_number": aoi.addressee_number, "operation": "view",
                                      "level": "error", "reason": "警察からの依頼"}, actor=actor(supervisor))

    # 住登外宛名 (issue #17): a protected person's 住登外 record
    from jumin.addressees.actions import do_register_non_resident
    from jumin.register.actions import do_move_out

    _move_in(clerk, approver, [_person(KAEDE, "ワシオ カエデ", "H5.5.5", "世帯主", KAEDE)],
             "宮城県仙台市若林区荒井東一丁目5番地")
    kaede = Resident.objects.get(name=KAEDE)
    do_register_protection({"addressee_number": kaede.addressee_number, "kind": "dv", "offenders": [OFFENDER]},
                           actor=actor(supervisor))
    _approve(do_move_out({"household_number": kaede.household_number, "effective_on": "R7.4.1", "notified_on": "R7.4.1",
                          "destination": KAEDE_TO}, actor=actor(clerk)), approver)
    do_register_non_resident({"kind": "former", "name": KAEDE, "name_kana": "ワシオ カエデ", "birth_date": "H5.5.5",
                              "sex": "2", "address": {"kind": "domestic", **KAEDE_TO}}, actor=actor(clerk),
                             business="010", link_removed=kaede.addressee_number)
    from jumin.addressees.actions import do_propose_merge

    twin = do_register_non_resident({"kind": "insured", "name": "山田 一", "birth_date": "H5.5.5", "sex": "2",
                                     "address": {"kind": "domestic", "address": "東京都八王子市"}}, actor=actor(clerk),
                                    business="024")
    merge = do_propose_merge(twin.addressee_number, kaede.addressee_number, actor=actor(clerk), reason="同一人の疑い")

    now = timezone.now()
    certificate = do_issue_certificate({
        "kind": "resident_copy", "subjects": [mio.addressee_number], "requester": {"kind": "self", "name": MIO},
        "identity_check": "my_number_card", "purpose": "", "copies": 1, "acknowledged_alerts": ["protected"]},
        actor=actor(clerk, "本庁1"))
    registration = do_register_seal(in_person(mio), impression=seal_scan("鷲尾"), actor=actor(clerk, "本庁1"), now=now)
    card = registration.cards.get()
    seal_certificate = do_issue_seal_certificate({
        "presentation": "card", "card_number": card.card_number, "requester": {"kind": "self", "name": MIO},
        "copies": 1, "acknowledged_alerts": ["protected"]}, actor=actor(clerk, "本庁1"), now=now)
    inquiry = do_send_inquiry(in_person(akari, route="inquiry", identity_document="", represents="given_name"),
                              impression=seal_scan("朱里"), actor=actor(clerk, "本庁1"), now=now)

    draft = _relocate(clerk, mio.household_number, DRAFT_TO, (timezone.localdate() - timedelta(days=3)).isoformat(),
                      timezone.localdate().isoformat())
    assert Change.objects.get(pk=draft.pk).status == "draft"

    # EUC (issue #16): the approver, who may see 支援措置 persons, lists them with their addresses; the file, the
    # run's record and the saved query must show nothing of them to a role without the right.
    from jumin.euc.actions import do_run_euc, do_save_euc_query

    listed = {"dataset": "residents", "include_protected": True,
              "items": ["addressee_number", "name", "address", "address_supplement"]}
    euc_runs = [do_run_euc(listed, "csv", actor=actor(approver)), do_run_euc(listed, "pdf_labels", actor=actor(approver))]
    euc_query = do_save_euc_query("支援措置の方を含む一覧", listed, actor=actor(approver))

    secret_numbers = [mio.addressee_number, akari.addressee_number, aoi.addressee_number, kaede.addressee_number]
    issuances = [certificate.issuance, seal_certificate.issuance]
    changes = [moved_in.pk, relocation.pk, draft.pk, aoi_in.pk, aoi_move.pk]
    return {
        "numbers": secret_numbers, "households": [mio.household_number, aoi.household_number],
        "changes": changes, "issuances": issuances, "order": order, "restriction": restriction,
        "registration": registration, "card": card, "inquiry": inquiry, "individual_number": number,
        "resident_code": code, "mio": mio, "supervisor": supervisor, "merge": merge, "euc_runs": euc_runs,
        "euc_query": euc_query,
    }


# ------------------------------------------------------------------ how each parameter is filled

def path_values(city) -> dict[str, list[str]]:
    """Path parameter name → the values to try. A name not here fails the walk (decide what it takes)."""
    from jumin.counter.screens import SCREENS

    today = timezone.localdate().isoformat()
    return {
        "addressee_number": city["numbers"], "household_number": city["households"],
        "change_id": [str(n) for n in city["changes"]], "on": [today, "2025-04-01"],
        "issuance_id": [str(i.pk) for i in city["issuances"]],
        "code": [i.verification_code for i in city["issuances"]],
        "order_id": [str(city["order"].pk)], "restriction_id": [str(city["restriction"].pk)],
        "inquiry_number": [city["inquiry"].inquiry_number],
        "registration_number": [city["registration"].registration_number],
        "card_number": [city["card"].card_number],
        "kind": sorted(SCREENS) + ["person", "offender"],
        "entity": ["residents", "protections", "operation_log"],   # the data dictionary: structure, no person
        "run_id": [str(r.pk) for r in city["euc_runs"]], "query_id": [str(city["euc_query"].pk)],   # EUC
        "merge_id": [str(city["merge"].pk)],                                                     # 名寄せ
        "client_id": ["010-01"], "notice_number": ["K0001"],                                     # 連携先, 戸籍通知
    }


def query_values(city) -> dict[str, list[str]]:
    """OpenAPI query parameter name → the values to try, each alone. A name not here fails the walk. Names
    and addresses are searched by parts that are not themselves secrets (鷲尾, ワシオ, 泉区紫山), so a hit
    in the answer is a leak and not an echo of what was typed."""
    mio = city["mio"]
    today = timezone.localdate().isoformat()
    return {
        "status": ["draft", "approved"], "addressee_number": city["numbers"],
        "household_number": city["households"], "limit": ["500"], "show_individual_number": ["true"],
        "reason": ["確認のため"], "basis": ["effective", "recorded"], "on": [today],
        "name": ["鷲尾", "栗花落"], "kana": ["ワシオ", "ツユリ"], "given_name": ["澪"],
        "address": ["泉区紫山", "宮城野区岩切", "太白区秋保"], "birth_date": [mio.birth_date.isoformat()],
        "sex": ["2"], "address_code": ["04"], "resident_code": [city["resident_code"]],
        "individual_number": [city["individual_number"]], "residence_card_number": ["AB12345678CD"],
        "special_permanent_certificate_number": ["AB1234567890"], "removal_reason": ["move_out_domestic"],
        "blank": ["alias"], "match": ["partial"], "business": ["010"], "after": ["0"], "date": [today], "include_removed": ["true"], "page": ["1"],
        "page_size": ["100"], "ending_within_days": ["400"], "include_ended": ["true"], "day": [today],
        "terminal": ["本庁1", "T-001"], "format": ["json", "csv", "pdf"],
        # statistics (issue #16): counts only, as of today, every breakdown, this month's 月報
        "as_of": [today], "by": ["age5", "age1", "ward", "town", "household_size", "resident_type"],
        "month": [today[:7]],
    }


def screen_queries(city) -> dict[str, list[dict]]:
    """Screen route → the query strings to try (each screen also gets a POST of the form below). A route not
    here fails the walk: a new screen must say which of its query parameters can name a person."""
    n, h = city["numbers"], city["households"]
    code = city["issuances"][0].verification_code
    today = timezone.localdate().isoformat()
    persons = [{"person": x} for x in n]
    return {
        "healthz": [{}], "oauth/token": [{}], "oauth/introspect": [{}], "login/": [{}], "logout/": [{}], "": [{}], "accounts/locked/": [{}],
        "accounts/locked/unlock": [{}],
        "api/openapi.json": [{}], "api/docs": [{}], "api/": [{}],
        "dictionary/": [{}, {"q": "住所"}, {"entity": "residents"}, {"q": "氏名", "entity": "protections"}],
        "counter/search/": [{}, {"kana": "ワシオ"}, {"kana": "ツユリ"}, {"name": "鷲尾"}, {"address": "泉区紫山"},
                            {"birth_date": city["mio"].birth_date.isoformat()},
                            {"individual_number": city["individual_number"]}, {"resident_code": city["resident_code"]},
                            {"kana": "ワシオ", "include_removed": "on", "match": "partial"},
                            {"kana": "ワシオ", "include_non_residents": "on"}, {"name": "鷲尾", "include_non_residents": "on"},
                            {"birth_date": "H5.5.5", "include_non_residents": "on", "include_removed": "on"}]
        + [{"addressee_number": x} for x in n] + [{"household_number": x} for x in h],
        "counter/residents/<text:addressee_number>/": [{}], "counter/addressees/<text:addressee_number>/": [{}],
        "counter/addressees/new/": [{}], "counter/addressees/<text:addressee_number>/change/": [{}],
        "counter/residents/<text:addressee_number>/history/": [{}],
        "counter/residents/<text:addressee_number>/as-of/": [{}, {"on": today}, {"on": today, "basis": "recorded"}],
        "counter/changes/member-row": [{}], "counter/changes/<int:change_id>/receipt/": [{}],
        "counter/changes/<str:kind>/": [{}] + persons + [{"household": x} for x in h]
        + [{"change": str(c)} for c in city["changes"]],
        "counter/changes/<str:kind>/back/": [{}], "counter/drafts/": [{}], "counter/drafts/<int:change_id>/": [{}],
        "counter/drafts/<int:change_id>/edit/": [{}],
        "counter/check/date": [{}], "counter/check/relationship": [{}],
        "counter/lookup/postcode": [{"postcode": MOVED_TO["postcode"]}], "counter/terminal": [{}],
        "certificates/new/": [{}] + persons,
        "certificates/issuances/": [{}, {"day": today}] + [{"addressee_number": x} for x in n],
        "certificates/issuances/<int:issuance_id>/": [{}, {"issued": "1"}],
        "certificates/issuances/<int:issuance_id>/pdf": [{}], "certificates/issuances/<int:issuance_id>/void": [{}],
        "certificates/daily/": [{}, {"day": today}], "certificates/daily.csv": [{}, {"day": today}],
        "certificates/daily.pdf": [{}, {"day": today}], "certificates/verify/": [{}, {"code": code}],
        "certificates/verify/<text:code>": [{}],
        "restrictions/protections/": [{}, {"include_ended": "1"}, {"ending_soon": "1"}] + persons,
        "restrictions/protections/new/": [{}] + persons, "restrictions/protections/rows/<str:kind>": [{}],
        "restrictions/protections/<int:order_id>/": [{}],
        "restrictions/protections/<int:order_id>/extend/": [{}], "restrictions/protections/<int:order_id>/end/": [{}],
        "restrictions/protections/<int:order_id>/persons/": [{}],
        "restrictions/protections/<int:order_id>/offenders/": [{}],
        "restrictions/protections/<int:order_id>/details/": [{}],
        "restrictions/restrictions/": [{}, {"include_ended": "1"}] + persons + [{"household": x} for x in h],
        "restrictions/restrictions/<int:restriction_id>/end/": [{}],
        "restrictions/restrictions/<int:restriction_id>/release/": [{}],
        "seals/": [{}] + persons + [{"q": x} for x in n], "seals/register/": [{}] + persons,
        "seals/guarantor": [{"guarantor_number": x} for x in n], "seals/inquiries/<text:inquiry_number>/": [{}],
        "seals/inquiries/<text:inquiry_number>/letter.pdf": [{}],
        "seals/inquiries/<text:inquiry_number>/impression.png": [{}],
        "seals/registrations/<text:registration_number>/impression.png": [{}],
        "seals/registrations/<text:registration_number>/loss": [{}],
        "seals/registrations/<text:registration_number>/reissue": [{}],
        "seals/registrations/<text:registration_number>/abolish": [{}], "seals/certificate/": [{}] + persons,
        "statistics/": [{}] + [{"tab": t, "as_of": today, "month": today[:7]} for t in
                                 ("age", "area", "households", "types", "monthly")],
        "statistics/statistics.xlsx": [{}, {"as_of": today}], "statistics/statistics.pdf": [{}, {"as_of": today}],
        "euc/": [{}], "euc/check/date": [{}], "euc/runs/": [{}] + [{"addressee_number": x} for x in n],
        "euc/runs/<int:run_id>/": [{}], "euc/runs/<int:run_id>/download": [{}],
        "euc/runs/<int:run_id>/approve": [{}], "euc/approvals/": [{}], "euc/saved/": [{}],
        "euc/saved/<int:query_id>/": [{}],
        "linkage/": [{}, {"date": today}], "linkage/resend/<str:client_id>/": [{}],              # 連携の状況 (#18)
        "linkage/koseki/<str:notice_number>/close/": [{}],
    }


def screen_forms(city) -> list[dict]:
    """What a screen POST carries: every form field in this system that names a person, a household, a change
    or a code (a screen ignores the ones it does not read)."""
    n, h = city["numbers"], city["households"]
    out = []
    for i, number in enumerate(n):
        out.append({"person": number, "addressee_number": number, "household_number": h[i % len(h)],
                    "q": number, "guarantor_number": number, "code": city["issuances"][i % 2].verification_code,
                    "change_ids": [str(c) for c in city["changes"]], "show_individual_number": "1",
                    "reason": "確認のため", "step": "confirm", "terminal": "本庁1",
                    "params_json": json.dumps({"addressee_number": number, "household_number": h[i % len(h)],
                                               "members": [number], "change_id": city["changes"][i]}),
                    # the EUC wizard: a query naming the person, straight to its preview
                    "do": "go:preview", "output": "csv", "query": json.dumps({
                        "dataset": "residents", "include_protected": True, "include_removed": True,
                        "items": ["addressee_number", "name", "address", "address_supplement"],
                        "where": {"all": [{"item": "addressee_number", "op": "eq", "value": number}]}})})
    return out


def api_bodies(city) -> dict[str, list[dict]]:
    """POST operation → the JSON bodies it is sent besides {} (an operation not listed gets {} only). EUC (issue #16):
    queries that ask for every item that names a person, 支援措置 persons and 除票 included, on every dataset, in
    every output; `FOLLOW` then fetches each run's record and file — a run by a role without the right must not
    contain them."""
    today = timezone.localdate().isoformat()
    named = ["addressee_number", "name", "address", "address_supplement", "town"]
    asked = {"include_protected": True}
    everything = {"dataset": "residents", "include_removed": True, "items": named, **asked}
    queries = [
        everything,
        {**everything, "where": {"any": [{"item": "addressee_number", "op": "in", "value": city["numbers"]}]}},
        {"dataset": "residents_as_of", "as_of": today, "include_removed": True, "items": named, **asked},
        {"dataset": "changes", "period": {"from": "2020-01-01", "to": today}, "items": named + ["reason_code"], **asked},
        {"dataset": "issuances", "period": {"from": "2020-01-01", "to": today},
         "items": ["requester_name", "subjects", "content"], **asked},
        {"dataset": "seals", "items": ["addressee_number", "name", "address"], **asked},
        {"dataset": "residents", "count_by": ["town", "sex"], **asked},
    ]
    outputs = ["csv", "csv_sjis", "xlsx", "pdf_list", "pdf_labels"]
    return {
        "/api/euc/preview": [{"query": q, "rows": 200} for q in queries],
        "/api/euc/run": [{"query": q, "output": o} for q in queries[:2] for o in outputs]
        + [{"query": q, "output": "csv"} for q in queries[2:]],
        "/api/euc/queries": [{"name": "巡回", "query": everything}],
    }


# What a POST's answer leads to, fetched by the same user (EUC: the run's record and its file).
FOLLOW = {"/api/euc/run": lambda answer: [f"/api/euc/runs/{answer['id']}", f"/api/euc/runs/{answer['id']}/download"]}


# ------------------------------------------------------------------ walking

def resolver_routes(patterns=None, prefix=""):
    """Every URL pattern of the project, as (route, pattern) — includes followed."""
    for p in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(p, URLResolver):
            yield from resolver_routes(p.url_patterns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern), p


PARAM = re.compile(r"<(?:(?P<conv>[^>:]+):)?(?P<name>[^>]+)>|\{(?:[^}:]+:)?(?P<oname>[^}]+)\}")


def fill(route: str, values: dict[str, list[str]]) -> list[str]:
    """Each way of filling the route's parameters from `values` (Django <conv:name> or OpenAPI {name});
    an unknown parameter name is an error, so a new endpoint forces a decision."""
    names = [m.group("name") or m.group("oname") for m in PARAM.finditer(route)]
    unknown = [n for n in names if n not in values]
    if unknown:
        raise AssertionError(f"{route}: パラメータ {unknown} の埋め方が決まっていません（path_values に追加してください）")
    urls = []
    for combo in product(*(values[n] for n in names)):
        chosen = iter(combo)
        urls.append(PARAM.sub(lambda _m: str(next(chosen)), route))
    return urls


def body_text(response) -> tuple[str, str]:
    """(kind, text) of a response as a reader sees it: JSON decoded (no \\u escapes), HTML entities resolved,
    PDF text extracted with poppler, CSV in UTF-8 or cp932; headers that carry text (Location,
    Content-Disposition) included. Whitespace removed so a name broken over a line still matches."""
    content = b"".join(response.streaming_content) if response.streaming else response.content
    ctype = response.get("Content-Type", "")
    headers = response.get("Location", "") + response.get("Content-Disposition", "")
    if content.startswith(b"%PDF"):
        kind, text = "pdf", subprocess.run(["pdftotext", "-q", "-", "-"], input=content, capture_output=True,
                                           check=True).stdout.decode()
    elif ctype.startswith("image/"):
        kind, text = "image", ""
    else:
        try:
            text = content.decode("utf-8")
        except UnicodeDecodeError:
            text = content.decode("cp932", errors="replace")
        kind = "csv" if "csv" in ctype else "json" if "json" in ctype else "html" if "html" in ctype else "text"
        if kind == "json":
            try:
                text = json.dumps(json.loads(text), ensure_ascii=False)
            except ValueError:
                pass
        text = html.unescape(text)
    return kind, "".join(html.unescape(headers + text).split())


class Walker:
    """Requests every exit as one user and records which secrets each response shows."""

    def __init__(self, user, city, *, writes: bool):
        self.user, self.city, self.writes = user, city, writes
        _, token = ApiToken.issue(user, "leak walk")
        self.api = Client(HTTP_AUTHORIZATION=f"Bearer {token}", HTTP_X_JUMIN_TERMINAL="本庁1",
                          raise_request_exception=False)
        self.screen = Client(raise_request_exception=False)
        self._login()
        self.requests, self.kinds, self.errors, self.seen = 0, {}, [], []

    def _login(self):
        self.screen.force_login(self.user)
        session = self.screen.session
        session["terminal"] = "本庁1"
        session.save()

    def check(self, method, url, response, sent=()):
        from jumin.search.models import SearchHistory

        self.requests += 1
        kind, text = body_text(response)
        self.kinds[kind] = self.kinds.get(kind, 0) + 1
        if response.status_code >= 500:
            self.errors.append(f"{method} {url} → {response.status_code}")
        # A 宛名番号 the request itself carried may be echoed (a form keeps what was typed); the name and
        # address never are — they are never sent — so they still catch a leak on such a request.
        # The EUC log and saved queries repeat the queries this user typed (a 宛名番号 condition included) — but
        # never a file: a download must still hold no protected person, whatever the query asked for.
        typed = getattr(self, "euc_typed", set())
        if "/api/euc/" in url and method == "POST":
            self.euc_typed = typed | {n for n in self.city["numbers"] if n in "".join(sent)}
        if "/euc/" in url and "download" not in url:
            sent = [*sent, *typed]
        secrets = SECRET_TEXT + [n for n in self.city["numbers"] if n not in "".join(sent) + url]
        for secret in secrets:
            if "".join(secret.split()) in text:
                self.seen.append((self.user.role, method, url, response.status_code, kind, secret))
        # The user's own search history repeats only what they typed; cleared so it is not counted.
        SearchHistory.objects.filter(user=self.user).delete()

    def walk_api(self):
        from jumin.api import api

        paths, queries, bodies = path_values(self.city), query_values(self.city), api_bodies(self.city)
        schema = api.get_openapi_schema()
        for route, operations in schema["paths"].items():
            for method, operation in operations.items():
                if method != "get" and not self.writes:
                    continue
                parameters = [p for p in operation.get("parameters", []) if p["in"] == "query"]
                query_names = [p["name"] for p in parameters]
                unknown = [n for n in query_names if n not in queries]
                assert not unknown, f"{method.upper()} {route}: クエリ {unknown} の埋め方が決まっていません（query_values）"
                # a required parameter is always sent (its first value), each other one alone beside it
                base = {p["name"]: queries[p["name"]][0] for p in parameters if p.get("required")}
                variants = [base] + [{**base, n: v} for n in query_names if n not in base for v in queries[n]]
                for url in fill(route, paths):
                    for query in variants:
                        full = url + ("?" + urlencode(query) if query else "")
                        if method == "get":
                            response = self.api.get(full)
                            self.check(method.upper(), full, response, sent=query.values())
                            continue
                        for body in ["{}"] + [json.dumps(b, ensure_ascii=False) for b in bodies.get(route, [])]:
                            response = getattr(self.api, method)(full, body, content_type="application/json")
                            self.check(method.upper(), full, response, sent=[*query.values(), body])
                            if route in FOLLOW and response.status_code == 201:
                                for then in FOLLOW[route](response.json()):
                                    self.check("GET", then, self.api.get(then), sent=[body])
        return schema

    def walk_screens(self):
        paths, queries, forms = path_values(self.city), screen_queries(self.city), screen_forms(self.city)
        for route, _pattern in resolver_routes():
            if route.startswith("api/") and route not in API_DOCUMENTS:
                continue   # walked operation by operation, with methods, from the OpenAPI document
            assert route in queries, f"{route}: 画面のクエリの埋め方が決まっていません（screen_queries に追加してください）"
            for url in fill(route, paths):
                for query in queries[route]:
                    full = "/" + url + ("?" + urlencode(query) if query else "")
                    self.check("GET", full, self.screen.get(full), sent=query.values())
                if self.writes:
                    for form in forms:
                        sent = [form["person"]]
                        self.check("POST", "/" + url, self.screen.post("/" + url, form), sent=sent)
                        self._login()   # a POST to logout/ ends the session; the walk goes on logged in


@pytest.mark.django_db(databases=["default", "euc"])      # EUC reads on its own connection (ADR 0003)
def test_no_exit_shows_a_protected_person_to_a_role_without_the_right(city, capsys):
    walked = {}
    leaks = []
    before = register_state()
    for role in ROLES_WITHOUT:
        walker = Walker(_user(f"walk_{role}", role, f"巡回 {role}"), city, writes=True)
        schema = walker.walk_api()
        walker.walk_screens()
        walked[role] = (walker.requests, walker.kinds, walker.errors)
        leaks += walker.seen
    assert register_state() == before, "a role without the right changed the register during the walk"

    clerk = Walker(_user("walk_clerk", ROLE_WITH, "巡回 窓口"), city, writes=False)
    clerk.walk_api()
    clerk.walk_screens()
    sighted = {(method, url.split("?")[0]) for _, method, url, *_ in clerk.seen}

    operations = sum(len(ops) for ops in schema["paths"].values())
    screens = sum(1 for route, _ in resolver_routes() if not route.startswith("api/") or route in API_DOCUMENTS)
    with capsys.disabled():
        print(f"\nleak walk: {operations} API operations + {screens} screen routes; "
              f"roles without {perms.VIEW_PROTECTED}: {', '.join(ROLES_WITHOUT)}")
        for role, (count, kinds, errors) in walked.items():
            print(f"  {role}: {count} requests {kinds}, 5xx {len(errors)}")
        print(f"  {ROLE_WITH} (with the right): {clerk.requests} requests {clerk.kinds}, "
              f"{len(clerk.seen)} responses showing a secret on {len(sighted)} exits")
        exits = sorted({(role, method, url.split("?")[0]) for role, method, url, *_ in leaks})
        print(f"  leaks: {len(leaks)} responses on {len(exits)} exits")
        for leak in exits:
            print("   ", *leak)

    assert leaks == []
    assert not [e for _, _, errors in walked.values() for e in errors], "an exit answered 5xx"
    # Not vacuous: the clerk sees the protected person and the address moved to where the register shows them.
    assert ("GET", "/api/changes") in sighted and ("GET", "/counter/drafts/") in sighted
    assert ("GET", f"/api/residents/{city['numbers'][0]}") in sighted
    assert any(kind == "pdf" for *_, kind, _s in clerk.seen)
    # …and the protected 住登外者, by her number and among the candidates (issue #17)
    assert ("GET", f"/api/addressees/{city['numbers'][3]}") in sighted and ("GET", "/api/addressees/candidates") in sighted
    assert ("GET", f"/counter/addressees/{city['numbers'][3]}/") in sighted
    assert ("GET", "/api/addressees/merges") in sighted
    # Not vacuous for EUC either: the analyst's runs held rows and their files were fetched (and had no secret).
    from jumin.euc.models import EucRun

    assert EucRun.objects.filter(username="walk_analyst", kind="run", rows__gt=0, downloads__gt=0).exists()


def test_a_parameter_the_walk_does_not_know_fails_it():
    with pytest.raises(AssertionError, match="new_thing"):
        fill("api/things/{new_thing}", {"addressee_number": ["1"]})
    assert fill("counter/residents/<text:addressee_number>/history/", {"addressee_number": ["12", "34"]}) == \
        ["counter/residents/12/history/", "counter/residents/34/history/"]
