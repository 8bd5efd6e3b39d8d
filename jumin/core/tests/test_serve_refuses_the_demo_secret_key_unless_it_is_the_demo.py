"""Issue #15 item 6: `jumin serve` will not serve with the default SECRET_KEY (it is in the source) unless
JUMIN_DEMO=true; with a real key, or as the demo, it starts gunicorn with the access log that has no query
string and the redacting logger."""

import pytest
from django.core.management import CommandError, call_command

from jumin.core.management.commands import serve


@pytest.fixture
def started(monkeypatch):
    """What would be exec'd: gunicorn's argv (nothing is started, no static files collected)."""
    calls = []
    monkeypatch.setattr(serve, "call_command", lambda *a, **k: None)
    monkeypatch.setattr(serve.os, "execvp", lambda program, argv: calls.append(argv))
    return calls


def test_the_default_key_is_refused_without_the_demo_flag(settings, started):
    settings.SECRET_KEY, settings.DEMO = settings.DEFAULT_SECRET_KEY, False

    with pytest.raises(CommandError, match="JUMIN_SECRET_KEY が設定されていません"):
        call_command("serve")

    assert started == []


def test_the_demo_may_serve_with_the_default_key(settings, started):
    settings.SECRET_KEY, settings.DEMO = settings.DEFAULT_SECRET_KEY, True

    call_command("serve", "--bind", "127.0.0.1:9999", "--workers", "1")

    argv = started[0]
    log_format = argv[argv.index("--access-logformat") + 1]
    assert "%(q)s" not in log_format and "%(r)s" not in log_format and "%(f)s" not in log_format
    assert "%(U)s" in log_format
    assert argv[argv.index("--logger-class") + 1] == "jumin.core.logging.GunicornLogger"


def test_a_real_key_serves_without_the_demo_flag(settings, started):
    settings.SECRET_KEY, settings.DEMO = "a-real-secret-" + "x" * 50, False

    call_command("serve", "--workers", "1")

    assert len(started) == 1
