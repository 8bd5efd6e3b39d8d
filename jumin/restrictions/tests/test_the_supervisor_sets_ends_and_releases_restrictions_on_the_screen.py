"""/restrictions/restrictions/: the supervisor lists the 抑止 of a person (with their household's) or of a
household, sets one (person or household, operation, level, dates, reason), ends it with a reason and releases
it for a few minutes. Refusals keep the input, write nothing and are logged."""

from jumin.audit.models import OperationLog
from jumin.restrictions import models as m

from .conftest import restriction, state


def test_the_supervisor_sets_a_household_restriction_and_sees_it_listed(hanako, supervisor, client):
    client.force_login(supervisor)
    response = client.post("/restrictions/restrictions/", {
        "target": "household", "household_number": hanako.household_number, "addressee_number": "",
        "operation": "issue", "level": "error", "starts_on": "R6.4.1", "ends_on": "", "reason": "裁判所からの依頼"})
    r = m.Restriction.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/restrictions/restrictions/?household={hanako.household_number}"
    assert (r.household_number, r.addressee_number, r.operation, r.level, r.starts_on.isoformat()) == (
        hanako.household_number, "", "issue", "error", "2024-04-01")
    listed = client.get("/restrictions/restrictions/", {"person": hanako.addressee_number}).content.decode()
    assert f'id="restriction-{r.pk}"' in listed and "裁判所からの依頼" in listed and "世帯主 山田 太郎" in listed
    assert OperationLog.objects.filter(function="restriction.set", outcome="ok").exists()


def test_a_restriction_without_a_reason_is_refused_with_the_input_kept(hanako, supervisor, client):
    client.force_login(supervisor)
    before = state()
    response = client.post("/restrictions/restrictions/", {
        "target": "person", "addressee_number": hanako.addressee_number, "operation": "view", "level": "alert",
        "starts_on": "R6.4.1", "reason": ""})
    text = response.content.decode()
    assert response.status_code == 422
    assert 'id="f-reason-error"' in text and "抑止の理由を入力してください。" in text
    assert f'value="{hanako.addressee_number}"' in text and 'value="R6.4.1"' in text
    assert state() == before
    assert OperationLog.objects.get(function="restriction.set").outcome == "refused"


def test_the_supervisor_ends_a_restriction_with_a_reason(hanako, supervisor, client):
    r = restriction(supervisor, addressee_number=hanako.addressee_number, operation="view", level="error")
    client.force_login(supervisor)
    before = state()
    refused = client.post(f"/restrictions/restrictions/{r.pk}/end/?person={hanako.addressee_number}", {"reason": ""})
    assert refused.status_code == 422 and "解除の理由を500文字以内で入力してください。" in refused.content.decode()
    assert state() == before
    assert OperationLog.objects.get(function="restriction.end").outcome == "refused"
    done = client.post(f"/restrictions/restrictions/{r.pk}/end/?person={hanako.addressee_number}",
                       {"reason": "依頼の取下げ"})
    assert done.status_code == 302
    assert done["Location"] == f"/restrictions/restrictions/?person={hanako.addressee_number}"
    r.refresh_from_db()
    assert r.ended_on is not None and r.ended_reason == "依頼の取下げ"
    assert f'id="restriction-{r.pk}"' not in client.get(done["Location"]).content.decode()


def test_the_supervisor_releases_a_restriction_for_ten_minutes(hanako, supervisor, client):
    r = restriction(supervisor, addressee_number=hanako.addressee_number, operation="view", level="error")
    client.force_login(supervisor)
    before = state()
    too_long = client.post(f"/restrictions/restrictions/{r.pk}/release/", {"minutes": "90", "reason": "本人来庁"})
    assert too_long.status_code == 422 and "1〜60分" in too_long.content.decode()
    assert 'value="90"' in too_long.content.decode()
    assert state() == before
    assert OperationLog.objects.get(function="restriction.release").outcome == "refused"
    done = client.post(f"/restrictions/restrictions/{r.pk}/release/", {"minutes": "10", "reason": "本人来庁・本人確認済み"})
    assert done.status_code == 302
    r.refresh_from_db()
    assert r.released_until is not None and r.released_by == supervisor
    listed = client.get(done["Location"]).content.decode()
    assert "一時解除中" in listed and "時間が過ぎると自動的に元に戻ります。" in listed
