"""A malformed 基準日 (令和0年, 2026-02-30), a future one, a malformed or future 対象月, an unknown breakdown, a
`jumin statistics` output folder that is not empty: each is refused with a Japanese message naming the input, the
refusal is logged, and nothing is written (no file, no register change)."""

import io

import pytest
from django.core.management import CommandError, call_command

from conftest import ApiClient, register_state
from jumin.audit.models import OperationLog

BAD_DAYS = [("令和0年4月1日", "存在しない年"), ("2026-02-30", "存在しない日付"), ("R8.2.30", "存在しない日付"),
            ("2099-01-01", "未来の日付"), ("あした", "形式が正しくありません")]
BAD_MONTHS = [("令和0年9月", "存在しない年"), ("2026-13", "1から12"), ("2099-01", "まだ始まっていません")]


def _refused(user, field):
    row = OperationLog.objects.order_by("-id").first()
    return row.outcome == "refused" and row.username == user.username and row.detail.get("refused_input") == field


@pytest.mark.parametrize("typed,fragment", BAD_DAYS)
def test_a_bad_day_is_refused_on_the_screen_next_to_its_input(analyst, family, screen_as, typed, fragment):
    before = register_state()
    response = screen_as(analyst).get("/statistics/", {"as_of": typed})
    text = response.content.decode()
    assert response.status_code == 422 and fragment in text and 'id="f-as_of-error"' in text
    assert f'value="{typed}"' in text           # what was typed stays in the input
    assert _refused(analyst, "as_of") and register_state() == before


@pytest.mark.parametrize("typed,fragment", BAD_MONTHS)
def test_a_bad_month_is_refused_on_the_screen(analyst, family, screen_as, typed, fragment):
    response = screen_as(analyst).get("/statistics/", {"as_of": "R8.10.1", "month": typed, "tab": "monthly"})
    assert response.status_code == 422 and fragment in response.content.decode()
    assert _refused(analyst, "month")


@pytest.mark.parametrize("fmt", ["xlsx", "pdf"])
def test_a_download_with_a_bad_day_is_refused(analyst, family, screen_as, fmt):
    response = screen_as(analyst).get(f"/statistics/statistics.{fmt}", {"as_of": "令和0年1月1日"})
    assert response.status_code == 422 and response["Content-Type"].startswith("text/html")
    assert "存在しない年" in response.content.decode() and _refused(analyst, "as_of")


@pytest.mark.parametrize("query,field,fragment", [
    ({"as_of": "2026-02-30"}, "as_of", "存在しない日付"), ({"as_of": "令和0年1月1日"}, "as_of", "存在しない年"),
    ({"as_of": "2026-10-01", "by": "name"}, "by", "区分（by）は"), ({"month": "2026-13"}, "month", "1から12"),
    ({"as_of": "x" * 31}, "as_of", "30文字以内"),
])
def test_the_api_refuses_bad_input_with_422_in_japanese(analyst, family, query, field, fragment):
    path = "/statistics/monthly" if "month" in query else "/statistics/population"
    response = ApiClient(analyst).get(path, **query)
    assert response.status_code == 422
    error = response.json()["error"]
    assert fragment in error["message"] and error["field"] == field
    assert OperationLog.objects.filter(outcome="refused", username=analyst.username).exists()


@pytest.mark.parametrize("typed", ["令和0年4月1日", "2026-02-30"])
def test_the_command_refuses_a_malformed_date_and_writes_nothing(family, tmp_path, typed):
    out = tmp_path / "out"
    with pytest.raises(CommandError, match="基準日に存在しない"):
        call_command("statistics", "--as-of", typed, "--out", str(out), stdout=io.StringIO())
    assert not out.exists()
    row = OperationLog.objects.order_by("-id").first()
    assert (row.function, row.outcome, row.username) == ("statistics.export", "refused", "system")


def test_the_command_refuses_a_folder_that_is_not_empty_unless_forced(family, tmp_path):
    (tmp_path / "memo.txt").write_text("前の出力", encoding="utf-8")
    with pytest.raises(CommandError, match="空ではありません.*--force"):
        call_command("statistics", "--as-of", "R8.10.1", "--out", str(tmp_path), "--no-pdf", stdout=io.StringIO())
    assert sorted(p.name for p in tmp_path.iterdir()) == ["memo.txt"]
    call_command("statistics", "--as-of", "R8.10.1", "--out", str(tmp_path), "--no-pdf", "--force",
                 stdout=io.StringIO())
    assert (tmp_path / "statistics-20261001.xlsx").exists() and (tmp_path / "memo.txt").exists()


def test_the_command_as_a_user_needs_the_users_right(viewer, family, tmp_path):
    with pytest.raises(CommandError, match="統計の照会"):
        call_command("statistics", "--as-of", "R8.10.1", "--out", str(tmp_path / "o"), "--user", viewer.username,
                     stdout=io.StringIO())
    assert not (tmp_path / "o").exists()
    assert OperationLog.objects.filter(outcome="refused", username="viewer", function="statistics.export").exists()
    with pytest.raises(CommandError, match="登録されていない"):
        call_command("statistics", "--as-of", "R8.10.1", "--out", str(tmp_path / "o"), "--user", "nobody",
                     stdout=io.StringIO())
