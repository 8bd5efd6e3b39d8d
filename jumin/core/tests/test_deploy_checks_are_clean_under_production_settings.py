"""Issue #15 item 6: under production settings — JUMIN_TLS=true, a real secret key, DEBUG off — `jumin check
--deploy` reports nothing, and the settings are what a TLS deployment behind a proxy needs. Run in a fresh
process: settings are read from the environment once, at start."""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

JUMIN = str(Path(sys.executable).parent / "jumin")


def clean_env() -> dict:
    """This process's environment without jumin's settings, nor the flag the browser tests' fixture sets for
    Playwright (DJANGO_ALLOW_ASYNC_UNSAFE, which production never has)."""
    return {k: v for k, v in os.environ.items() if not k.startswith("JUMIN_") and k != "DJANGO_ALLOW_ASYNC_UNSAFE"}


def production_env(**extra) -> dict:
    env = clean_env()
    env.update(JUMIN_TLS="true", JUMIN_SECRET_KEY=secrets.token_urlsafe(50), JUMIN_ALLOWED_HOSTS="jumin.example.lg.jp")
    env.update(extra)
    return env


def test_check_deploy_reports_no_issue():
    result = subprocess.run([JUMIN, "check", "--deploy", "--fail-level", "WARNING"], env=production_env(),
                            capture_output=True, text=True, timeout=300)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
    assert "WARNINGS" not in result.stdout + result.stderr


def test_the_demo_settings_are_not_clean():
    """The check can fail: without TLS and with the demo key it warns (cookies, HSTS, the key)."""
    env = clean_env()
    result = subprocess.run([JUMIN, "check", "--deploy", "--fail-level", "WARNING"], env=env,
                            capture_output=True, text=True, timeout=300)

    assert result.returncode != 0
    assert "security.W012" in result.stderr and "security.W004" in result.stderr and "security.W009" in result.stderr


def test_tls_gives_secure_cookies_hsts_and_trusts_the_proxy():
    script = ("import json, django; django.setup(); from django.conf import settings as s; print(json.dumps(["
              "s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS,"
              "list(s.SECURE_PROXY_SSL_HEADER), s.SECURE_SSL_REDIRECT, s.DEBUG, s.PROXY_HOPS]))")
    out = subprocess.run([sys.executable, "-c", script], env=production_env(DJANGO_SETTINGS_MODULE="jumin.settings"),
                         capture_output=True, text=True, timeout=120, check=True).stdout

    assert json.loads(out) == [True, True, 31536000, True, ["HTTP_X_FORWARDED_PROTO", "https"], True, False, 1]
