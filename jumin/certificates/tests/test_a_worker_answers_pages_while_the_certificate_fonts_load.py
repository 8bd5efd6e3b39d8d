"""A gunicorn worker answers screens while it loads the certificate fonts (issue #15 item 10: the first page hung
≈ 27 s after "Listening"), and a certificate asked for meanwhile waits for the one load instead of starting its
own (`fonts.once`)."""

import threading

from jumin.certificates import render, startup
from jumin.certificates.fonts import once


def test_the_login_page_is_answered_before_the_font_load_has_finished(client, monkeypatch, settings):
    settings.CERTIFICATE_RENDERER = "weasyprint"  # the form renderer's part is the same thread, one step later
    gate, loading = threading.Event(), threading.Event()

    def slow_font_load():
        loading.set()
        assert gate.wait(30), "the test never let the load finish"

    monkeypatch.setattr(render, "warm_up", slow_font_load)
    monkeypatch.setattr(startup, "_thread", None)
    monkeypatch.setattr(startup, "_ready", threading.Event())
    thread = startup.start_warm_up()
    try:
        assert loading.wait(30)
        response = client.get("/login/")
        assert response.status_code == 200
        assert not startup.is_ready() and thread.is_alive()  # answered while the font was still loading
        assert startup.start_warm_up() is thread  # a second start does not load twice
    finally:
        gate.set()
        thread.join(30)
    assert startup.is_ready()


def test_a_caller_that_comes_while_the_font_is_being_built_gets_the_same_one_built_once():
    gate, building = threading.Event(), threading.Event()
    builds = []

    @once
    def font():
        builds.append(object())
        building.set()
        assert gate.wait(30)
        return builds[-1]

    got = []
    first = threading.Thread(target=lambda: got.append(font()))
    first.start()
    assert building.wait(30)
    asking = threading.Event()

    def second_caller():
        asking.set()
        got.append(font())

    second = threading.Thread(target=second_caller)
    second.start()
    assert asking.wait(30)
    assert not font.built()  # nobody has it yet: the second caller waits for the first build
    gate.set()
    first.join(30)
    second.join(30)
    assert len(builds) == 1
    assert got == [builds[0], builds[0]]
    assert font() is builds[0] and font.built()


def test_a_build_that_fails_is_tried_again_by_the_next_caller():
    calls = []

    @once
    def font():
        calls.append(1)
        if len(calls) == 1:
            raise OSError("font file busy")
        return "face"

    try:
        font()
    except OSError:
        pass
    assert not font.built()
    assert font() == "face" and len(calls) == 2
