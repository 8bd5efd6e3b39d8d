"""Shared fixtures: one user per role (a user who may and one who may not, like healthchecks.io),
the municipality setting, an API client per user, and a family moved in through the real actions."""

import json
import os
from pathlib import Path

import pytest
from django.test import Client

from jumin.accounts import rules as roles
from jumin.accounts.models import ApiToken, User
from jumin.audit.actions import Actor
from jumin.core.models import Municipality


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Real hashing costs ~0.25 s a user; the suite creates hundreds. Production keeps Django's default."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def municipality(db):
    """Two-step (仮登録 → 本登録), no self-approval: the strict default."""
    return Municipality.objects.create(code="041009", name="仙台市", prefecture="宮城県",
                                       draft_required=True, self_approval_allowed=False)


@pytest.fixture
def single_step(municipality):
    municipality.draft_required = False
    municipality.save()
    return municipality


def _user(username, role, display):
    return User.objects.create_user(username=username, password="correct horse battery", role=role,
                                    display_name=display)


@pytest.fixture
def clerk(db):
    return _user("clerk", roles.CLERK, "窓口 花子")


@pytest.fixture
def clerk2(db):
    return _user("clerk2", roles.CLERK, "窓口 次郎")


@pytest.fixture
def approver(db):
    return _user("approver", roles.APPROVER, "審査 太郎")


@pytest.fixture
def viewer(db):
    return _user("viewer", roles.VIEWER, "照会 一郎")


@pytest.fixture
def auditor(db):
    return _user("auditor", roles.AUDITOR, "監査 三郎")


@pytest.fixture
def admin_user(db):
    return _user("admin", roles.ADMIN, "管理 四郎")


def actor(user, terminal="T-001"):
    return Actor(user=user, terminal=terminal)


class ApiClient:
    """A JSON client authenticated with a real API token."""

    def __init__(self, user):
        _, raw = ApiToken.issue(user, "test")
        self.client = Client(HTTP_AUTHORIZATION=f"Bearer {raw}", HTTP_X_JUMIN_TERMINAL="T-001")

    def get(self, path, **params):
        return self.client.get("/api" + path, params)

    def post(self, path, body=None):
        return self.client.post("/api" + path, json.dumps(body or {}), content_type="application/json")

    def put(self, path, body=None):
        return self.client.put("/api" + path, json.dumps(body or {}), content_type="application/json")


@pytest.fixture
def api_as():
    return ApiClient


@pytest.fixture
def screen_as(db):
    """A logged-in client for one user at a terminal (the session's 端末, as set on the home page)."""

    def login(user, terminal="本庁1"):
        client = Client()
        client.force_login(user)
        session = client.session
        session["terminal"] = terminal
        session.save()
        return client

    return login


def family_params(**overrides):
    """A 3-person Japanese family moving in from 東京都 (realistic, valid check digits)."""
    params = {
        "move_in_kind": "domestic",
        "effective_on": "R6.4.1",
        "notified_on": "R6.4.5",
        "address": {"postcode": "9800811", "address_code": "04101001001", "address": "宮城県仙台市青葉区一番町四丁目7番17号",
                    "address_supplement": "一番町ハイツ301"},
        "previous_address": {"postcode": "1000001", "address": "東京都千代田区千代田1番1号"},
        "members": [
            {"name": "山田 太郎", "name_kana": "ヤマダ タロウ", "birth_date": "S55.5.5", "sex": "1",
             "relationship": "世帯主", "domicile_status": "recorded", "domicile": "東京都千代田区千代田1番",
             "domicile_head": "山田 太郎", "individual_number": "123456789018", "resident_code": "12345678903"},
            {"name": "山田 花子", "name_kana": "ヤマダ ハナコ", "birth_date": "昭和57年3月3日", "sex": "2",
             "relationship": "妻", "domicile_status": "recorded", "domicile": "東京都千代田区千代田1番",
             "domicile_head": "山田 太郎"},
            {"name": "山田 一郎", "name_kana": "ヤマダ イチロウ", "birth_date": "2012-06-01", "sex": "1",
             "relationship": "子", "domicile_status": "recorded", "domicile": "東京都千代田区千代田1番",
             "domicile_head": "山田 太郎"},
        ],
    }
    params.update(overrides)
    return params


@pytest.fixture
def family(single_step, clerk):
    """A family already in the register (single-step so it is approved at once)."""
    from jumin.register.actions import do_move_in

    change = do_move_in(family_params(), actor=actor(clerk))
    return change.result


def register_state():
    """Everything a refused change must leave untouched: row counts and every record's items."""
    from jumin.core.models import NumberSequence
    from jumin.register.models import ITEM_FIELDS, Change, ChangeSubject, Household, Resident, ResidentHistory

    return {
        "residents": list(Resident.objects.order_by("addressee_number").values_list(*ITEM_FIELDS, "version",
                                                                                    "history_number")),
        "history": ResidentHistory.objects.count(),
        "changes": list(Change.objects.order_by("pk").values_list("pk", "status", "version")),
        "subjects": ChangeSubject.objects.count(),
        "households": list(Household.objects.order_by("pk").values_list("household_number", "version")),
        "sequences": list(NumberSequence.objects.order_by("name").values_list("name", "last_body")),
    }


# ------------------------------------------------------------------ browser
# Playwright (Python) driving Debian's chromium (/usr/bin/chromium, no browser download), against
# pytest-django's live server on the test database. Screenshots go to test-artifacts/screens/. Defined here
# once: a session fixture imported into two conftest files would start Playwright twice in one run.



CHROMIUM = os.environ.get("JUMIN_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parent / "test-artifacts" / "screens"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-quic", "--disable-dev-shm-usage"]
# axe-core, fetched at install by `make axe` (jumin fetch_axe, MPL-2.0); tests only, the screens never load it.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
AXE_RUN = """async ([tags, off]) => (await axe.run(document, {runOnly: {type: 'tag', values: tags},
    rules: Object.fromEntries(off.map(id => [id, {enabled: false}]))})).violations
  .map(v => ({id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map(n => n.target.join(' '))}))"""


@pytest.fixture(scope="session")
def chromium():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} がありません。`make test` が Debian の chromium を入れます。")
    # Playwright's sync API runs an event loop in this thread; the test's own ORM calls are plain sync code.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        # The browser stands for the clerk's PC: it sees the system's fonts, not the certificates' private
        # fontconfig (render.py points FONTCONFIG_FILE at IPAmj alone once a test has drawn a PDF).
        env = {k: v for k, v in os.environ.items() if k != "FONTCONFIG_FILE"}
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS, env=env)
        yield browser
        browser.close()


class Screen:
    """One clerk's browser window: a page with the live server's address and a screenshot helper."""

    def __init__(self, browser, base_url, name, width=1366, height=768):
        self.context = browser.new_context(viewport={"width": width, "height": height}, locale="ja-JP")
        self.page = self.context.new_page()
        self.page.set_default_timeout(30000)   # generous: a loaded 2-core CI machine is slow, not wrong
        self.base_url = base_url
        self.name = name

    def go(self, path):
        self.page.goto(self.base_url + path)
        return self.page

    def shot(self, label):
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(ARTIFACTS / f"{self.name}-{label}.png"), full_page=True)

    def login(self, username, password="correct horse battery"):
        page = self.go("/login/")
        page.locator("input[name=username]").focus()   # do not race the page's autofocus
        page.keyboard.type(username)
        page.keyboard.press("Tab")
        page.keyboard.type(password)
        page.keyboard.press("Enter")
        page.wait_for_url(self.base_url + "/")
        return page

    def axe(self, disable=()):
        """axe-core's WCAG 2.1 A/AA violations on the page as it is now (id, impact, help, targets), less the
        rule ids in `disable`.

        The page keeps its own Content-Security-Policy (script-src 'self'): axe goes in through Playwright's
        evaluate, which the devtools protocol runs outside the page's policy, where a <script> tag would be
        refused. So the page is checked exactly as it is served."""
        from jumin.core.management.commands.fetch_axe import axe_dir

        script = axe_dir() / "axe.min.js"
        if not script.is_file():
            pytest.fail(f"{script} がありません。`make axe`（`make test` が実行します）で axe-core を取得してください。")
        if not self.page.evaluate("() => typeof window.axe === 'object'"):
            self.page.evaluate(script.read_text(encoding="utf-8"))
        return self.page.evaluate(AXE_RUN, [AXE_TAGS, list(disable)])

    def close(self):
        self.context.close()



def check_axe(desk, label, heading, found, disable=(), shoot_every=False):
    """axe-core on the page as it is now, after making sure it is the screen meant (its heading, not an error
    page); violations are collected in `found` under `label`. A screenshot in test-artifacts/screens/: of every
    state checked (`shoot_every`), else only of a page with violations."""
    page = desk.page
    page.wait_for_load_state("networkidle")
    if heading:
        assert heading in page.inner_text("h1"), (label, page.url, page.inner_text("h1"))
    violations = desk.axe(disable)
    if shoot_every:
        desk.shot(label)
    elif violations:
        desk.shot(f"axe-{label}")
    if violations:
        found[label] = [(v["id"], v["impact"], v["help"], v["targets"]) for v in violations]


def axe_report(found):
    return "\n".join(f"{label}: {vid} [{impact}] {text} → {targets[:5]}{' …' if len(targets) > 5 else ''}"
                     for label, violations in found.items() for vid, impact, text, targets in violations)

@pytest.fixture
def screens(chromium, live_server):
    opened = []

    def open_screen(name, **size):
        screen = Screen(chromium, live_server.url, name, **size)
        opened.append(screen)
        return screen

    yield open_screen
    for screen in opened:
        screen.close()
