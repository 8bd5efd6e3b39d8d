"""Issue #3 item 2: exact, prefix (the default) and partial match, on the folded keys — through the plain-SQL
key path (exact, prefix) and the general query (partial), with the same order."""

from jumin.search.tests.people import move_in, person


def hits(api, **criteria):
    response = api.get("/search", **criteria)
    assert response.status_code == 200, response.content
    return [r["addressee_number"] for r in response.json()["results"]]


def test_exact_prefix_and_partial_match(single_step, clerk, api_as):
    nakamura, ichiro, tanakamura = move_in(clerk, person("中村", "ナカムラ", "S60.1.1"),
                                           person("中村 一郎", "ナカムラ イチロウ", "S60.1.2"),
                                           person("田中村 花", "タナカムラ ハナ", "S60.1.3", sex="2"))
    api = api_as(clerk)
    assert hits(api, kana="ナカムラ", match="exact") == [nakamura]
    assert hits(api, kana="ﾅｶﾑﾗ", match="exact") == [nakamura]                 # folded before comparing
    assert hits(api, kana="ナカムラ") == [nakamura, ichiro]                     # prefix, the exact one first
    assert hits(api, kana="ナカムラ", match="prefix") == [nakamura, ichiro]
    assert hits(api, kana="カムラ", match="partial") == [tanakamura, nakamura, ichiro]   # フリガナ order
    assert hits(api, name="中村", match="exact") == [nakamura]
    assert hits(api, name="中村") == [nakamura, ichiro]
    assert hits(api, name="中村", match="partial") == [nakamura, tanakamura, ichiro]  # exact first
    assert hits(api, kana="カムラ") == []                                       # not a prefix of anyone's
