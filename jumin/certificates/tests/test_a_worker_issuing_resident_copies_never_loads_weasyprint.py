"""A worker that issues 住民票 with the form renderer never loads WeasyPrint (issue #15 item 12: WeasyPrint and its
second prepared copy of IPAmj were ≈ 100 MB of every worker's RSS). The seal — the one thing WeasyPrint still draws
for a 住民票 — is drawn by a child process and kept in var/seals/ under the sha256 of the SVG and of what draws it;
the certificate copies the same drawing, so the page is what it was."""

import os
import subprocess
import sys

import pytest
from django.conf import settings as django_settings

from jumin.certificates import form, render, seal, startup
from jumin.certificates.seal import default_seal_svg
from jumin.certificates.tests.conftest import issue, request_for

CHILD = """
import os, sys, django
django.setup()
from jumin.certificates import form
from jumin.certificates.seal import default_seal_svg

page = form.Canvas()
page.seal = (100.0, 100.0, 22.0, "Seal")
pdf = form._write_pdf([page], default_seal_svg("仙台市長之印"))
print(b"/Subtype /Form" in pdf, "weasyprint" in sys.modules)
"""


@pytest.fixture
def own_var(settings, tmp_path, monkeypatch):
    """A var/ of the test's own (no seal drawn yet) and no parsed seal in this process."""
    settings.VAR_DIR = tmp_path
    monkeypatch.setattr(form, "_seal_forms", form._SealForms())
    return tmp_path


@pytest.fixture
def no_weasyprint_here(monkeypatch):
    """WeasyPrint counts as not loaded in this process, and loading it fails the test."""
    def refuse():
        raise AssertionError("WeasyPrint was loaded in the worker")

    refuse.built = lambda: False
    refuse.clear = lambda: None
    monkeypatch.setattr(render, "renderer", refuse)


def test_a_process_that_draws_a_sealed_page_never_imports_weasyprint(tmp_path):
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="jumin.settings", JUMIN_VAR_DIR=str(tmp_path))
    run = subprocess.run([sys.executable, "-c", CHILD], env=env, cwd=django_settings.BASE_DIR, capture_output=True,
                         text=True, check=True)
    assert run.stdout.split() == ["True", "False"]  # the seal is on the page; WeasyPrint is not in the process
    assert len(list((tmp_path / "seals").glob("*.pdf"))) == 1  # drawn by its own child, and kept


def test_a_certificate_with_the_seal_is_issued_without_weasyprint_in_the_process(yamada, clerk, settings, own_var,
                                                                                   no_weasyprint_here):
    settings.CERTIFICATE_RENDERER = "form"
    result = issue(clerk, request_for(yamada["head"], layout="individual"))
    assert b"/Subtype /Form" in result.pdf  # the seal's page, copied as a form XObject
    kept = list((own_var / "seals").glob("*.pdf"))
    assert kept == [seal.kept_path(default_seal_svg("仙台市長之印"))]  # the mayor fixture's seal, drawn and kept


def test_the_kept_drawing_is_the_one_weasyprint_draws_here(own_var):
    svg = default_seal_svg("仙台市長之印")
    assert seal.draw_in_child(svg) == seal.draw_here(svg)  # the same code in another process: the same bytes


def test_a_kept_drawing_is_read_again_not_drawn_again(own_var, monkeypatch):
    svg = default_seal_svg("仙台市長之印")
    first = form._seal_forms.source(svg)
    monkeypatch.setattr(form, "_seal_forms", form._SealForms())  # another worker: nothing parsed yet

    def no_drawing(_svg):
        raise AssertionError("the seal was drawn again")

    monkeypatch.setattr(seal, "draw_in_child", no_drawing)
    monkeypatch.setattr(seal, "draw_here", no_drawing)
    assert form._seal_forms.source(svg) == first


def test_a_kept_drawing_that_is_not_whole_is_drawn_again(own_var, monkeypatch):
    svg = default_seal_svg("仙台市長之印")
    path = seal.kept_path(svg)
    path.parent.mkdir(parents=True)
    path.write_bytes(b"%PDF-1.7\n% cut short by a full disk")
    objects, page = form._seal_forms.source(svg)
    assert page in objects and b"/MediaBox" in objects[page][0]
    assert path.read_bytes().startswith(b"%PDF") and b"\nxref\n" in path.read_bytes()


def test_another_seal_gets_its_own_drawing(own_var):
    assert seal.kept_path(default_seal_svg("仙台市長之印")) != seal.kept_path(default_seal_svg("市長之印"))


def test_the_start_up_load_of_the_form_renderer_does_not_load_weasyprint(yamada, settings, own_var,
                                                                         no_weasyprint_here, monkeypatch):
    settings.CERTIFICATE_RENDERER = "form"
    monkeypatch.setattr(render, "warm_up", lambda: pytest.fail("the start-up load loaded WeasyPrint"))
    startup.warm_up()
    assert len(form._seal_forms.pdfs) == 1  # the mayor's seal, ready for the first certificate
