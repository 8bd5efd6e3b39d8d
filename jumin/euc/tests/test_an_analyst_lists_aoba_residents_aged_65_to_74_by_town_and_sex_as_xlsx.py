"""The issue's "done when" as a script would do it: residents of 青葉区 aged 65–74 as of R8.4.1, by 町丁 and 性別,
downloaded as XLSX through the API — and the same query as a list, with the protected woman of 68 in 青葉区 left
out for the analyst."""

import io

import openpyxl

from jumin.euc.tests.conftest import PROTECTED
from jumin.register.models import Resident

QUERY = {"dataset": "residents", "as_of": "R8.4.1", "count_by": ["town", "sex"],
         "where": {"all": [{"item": "行政区", "op": "eq", "value": "青葉区"},
                           {"item": "年齢", "op": "between", "value": [65, 74]}]}}


def test_the_count_and_the_list(city, analyst, api_as):
    # 山田 太郎 as if born in 1955 (70 on R8.4.1, in 青葉区一番町四丁目).
    Resident.objects.filter(pk=city["yamada"].pk).update(birth_date="1955-10-10")
    client = api_as(analyst)
    made = client.post("/euc/run", {"query": QUERY, "output": "xlsx"})
    assert made.status_code == 201 and made.json()["status"] == "ready"
    response = client.get(f"/euc/runs/{made.json()['id']}/download")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    assert rows == [("町丁", "性別", "件数"), ("青葉区一番町四丁目", "男", 1)]

    listed = client.post("/euc/preview", {"query": {**{k: v for k, v in QUERY.items() if k != "count_by"},
                                                    "items": ["氏名", "年齢", "町丁"], "include_protected": True}})
    assert listed.json()["rows"] == [["山田 太郎", 70, "青葉区一番町四丁目"]]
    assert PROTECTED not in str(listed.json())
