"""`jumin demo_setup` prepares the demo: 仙台市 as the municipality and one login per role; running it
again changes nothing but the passwords it resets."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client

from jumin.accounts import rules
from jumin.accounts.models import User
from jumin.core.models import Municipality

pytestmark = pytest.mark.django_db

ROLES = [rules.CLERK, rules.APPROVER, rules.ADMIN, rules.AUDITOR, rules.VIEWER, rules.SUPERVISOR, rules.ANALYST]


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """demo_setup hashes five passwords per run; the production hasher would make this file slow."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def run_demo_setup() -> str:
    out = StringIO()
    call_command("demo_setup", stdout=out)
    return out.getvalue()


def test_it_sets_the_municipality_to_sendai():
    run_demo_setup()

    municipality = Municipality.objects.get()
    assert (municipality.code, municipality.name, municipality.prefecture) == ("041009", "仙台市", "宮城県")
    assert municipality.draft_required is True
    assert municipality.self_approval_allowed is False


def test_it_updates_an_existing_municipality_row_instead_of_adding_one():
    Municipality.objects.create(code="000000", name="未設定市", prefecture="未設定県", draft_required=False)

    run_demo_setup()

    municipality = Municipality.objects.get()
    assert (municipality.name, municipality.draft_required) == ("仙台市", True)


def test_it_creates_one_user_per_role_named_after_the_role(monkeypatch):
    monkeypatch.delenv("JUMIN_DEMO_PASSWORD", raising=False)

    run_demo_setup()

    for role in ROLES:
        user = User.objects.get(role=role)
        assert user.username == role
        assert user.display_name and not user.display_name.isascii()   # a Japanese 氏名
        assert user.is_active and not user.is_superuser
        assert user.check_password("jumin-demo-2026")


def test_running_it_twice_changes_nothing(monkeypatch):
    monkeypatch.delenv("JUMIN_DEMO_PASSWORD", raising=False)
    run_demo_setup()
    User.objects.filter(username="clerk").update(role=rules.VIEWER, is_active=False)

    run_demo_setup()

    assert Municipality.objects.count() == 1
    assert User.objects.count() == len(ROLES)
    assert sorted(User.objects.values_list("role", flat=True)) == sorted(ROLES)
    assert User.objects.get(username="clerk").is_active


def test_the_password_comes_from_jumin_demo_password(monkeypatch):
    monkeypatch.setenv("JUMIN_DEMO_PASSWORD", "another-demo-password")

    output = run_demo_setup()

    assert "another-demo-password" in output
    assert Client().login(username="approver", password="another-demo-password")


def test_it_prints_the_logins_and_how_to_use_the_api(monkeypatch):
    monkeypatch.delenv("JUMIN_DEMO_PASSWORD", raising=False)

    output = run_demo_setup()

    for role in ROLES:
        assert role in output
    assert "jumin-demo-2026" in output
    assert "窓口（異動入力・照会）" in output and "counter clerk" in output
    assert "異動の審査・決裁（本登録）" in output and "approve changes" in output
    assert ".venv/bin/jumin token create --user clerk" in output
    assert "http://127.0.0.1:8000/" in output
    assert "http://127.0.0.1:8000/api/docs" in output
    assert "http://127.0.0.1:8000/api/openapi.json" in output
