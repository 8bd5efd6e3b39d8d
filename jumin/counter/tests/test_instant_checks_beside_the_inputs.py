"""The htmx checks beside date and 続柄 inputs: 和暦 shown back, refusals in Japanese, blanks silent."""


def test_a_date_is_answered_in_wareki_or_refused(client, clerk):
    client.force_login(clerk)
    assert '<span class="ok">昭和45年3月1日</span>' in client.post("/counter/check/date",
                                                                   {"birth_date": "S45.3.1", "label": "生年月日"}).content.decode()
    assert '<span class="ok">昭和45年頃</span>' in client.post("/counter/check/date", {"d": "昭和45年頃"}).content.decode()
    refused = client.post("/counter/check/date", {"d": "令和2年2月30日", "label": "生年月日"}).content.decode()
    assert 'class="bad"' in refused and "生年月日" in refused
    assert client.post("/counter/check/date", {"d": "  "}).content.decode() == ""


def test_a_relationship_is_checked_against_the_grammar(client, clerk):
    client.force_login(clerk)
    assert '<span class="ok">OK</span>' in client.post("/counter/check/relationship", {"r": "子の妻"}).content.decode()
    refused = client.post("/counter/check/relationship", {"r": "孫"}).content.decode()
    assert 'class="bad"' in refused and "子の子" in refused


def test_markup_in_the_input_comes_back_as_text(client, clerk):
    client.force_login(clerk)
    answer = client.post("/counter/check/relationship", {"r": "<b>x</b>"}).content.decode()
    assert "<b>" not in answer
