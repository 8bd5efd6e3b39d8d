"""Issue #15 item 10 and the CSP of item 6: the counter's screens carry no inline <script>, <style> or on…=
handler (a Content-Security-Policy of script-src 'self' would block them — the ↑↓ handler, Alt+<key> and the
change-kind filter are jumin/counter.js, the style jumin/app.css), and they draw Japanese in the gothic face
the set-up installs (IPAexGothic), not in a 明朝 fallback."""

import re

import pytest

from conftest import actor, family_params
from jumin.register.actions import do_move_in
from jumin.register.models import Resident

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I)
HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.I)
STYLE = re.compile(r"<style\b|\sstyle\s*=", re.I)


def own_pages(head: Resident, draft_id: int) -> list[str]:
    return ["/", "/counter/search/", "/counter/search/?kana=ヤマダ", f"/counter/residents/{head.addressee_number}/",
            f"/counter/residents/{head.addressee_number}/history/",
            f"/counter/residents/{head.addressee_number}/as-of/?on=R6.5.1", "/counter/drafts/",
            f"/counter/drafts/{draft_id}/", "/counter/residents/0000000000/"]


@pytest.mark.django_db
def test_no_inline_script_style_or_handler_on_the_search_record_history_and_draft_screens(family, clerk, approver,
                                                                                           screen_as, municipality):
    municipality.draft_required = True
    municipality.save()
    head = Resident.objects.get(name="山田 太郎")
    draft = do_move_in(family_params(members=[{**family_params()["members"][0], "name": "鈴木 一",
                                               "name_kana": "スズキ ハジメ", "individual_number": "",
                                               "resident_code": ""}]), actor=actor(clerk))
    for user in (clerk, approver):
        client = screen_as(user)
        for path in own_pages(head, draft.pk):
            page = client.get(path).content.decode()
            assert INLINE_SCRIPT.findall(page) == [], path
            assert HANDLER.findall(page) == [], path
            assert STYLE.findall(page) == [], path
            assert '/static/jumin/counter.js' in page and '/static/jumin/app.css' in page, path


@pytest.mark.django_db(transaction=True)
def test_japanese_is_drawn_in_ipaex_gothic(family, clerk, screens):
    head = Resident.objects.get(name="山田 太郎")
    desk = screens("font")
    page = desk.login("clerk")
    desk.go(f"/counter/residents/{head.addressee_number}/")
    desk.shot("record-gothic")
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument")["root"]["nodeId"]
    used = set()
    for selector in ("h1", "#person-h", "dl dd", "nav.menu a", "input#kind-filter", ".kinds a"):
        node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
        used |= {f["familyName"] for f in cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]}
    assert "IPAexGothic" in used, used
    assert not [name for name in used if "Mincho" in name or "明朝" in name], used
