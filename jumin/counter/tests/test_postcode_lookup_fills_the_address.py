import pytest


def test_a_postcode_gives_the_address_from_the_bundled_japan_post_data(client, clerk):
    client.force_login(clerk)
    page = client.get("/counter/lookup/postcode", {"address.postcode": "980-8671", "target_id": "f-address-address"})
    text = page.content.decode()
    assert "宮城県仙台市青葉区" in text and '"f-address-address"' in text


def test_an_unknown_postcode_says_so(client, clerk):
    client.force_login(clerk)
    text = client.get("/counter/lookup/postcode", {"address.postcode": "0000000", "target_id": "x"}).content.decode()
    assert "見つかりません" in text


def test_a_target_id_cannot_break_out_of_the_script(client, clerk):
    client.force_login(clerk)
    text = client.get("/counter/lookup/postcode", {"address.postcode": "9808671",
                                                   "target_id": '</script><script>alert(1)</script>'}).content.decode()
    assert "<script>alert(1)" not in text


@pytest.mark.django_db(transaction=True)
def test_lookups_work_from_any_thread_as_under_gunicorn(client, clerk):
    import threading

    client.force_login(clerk)
    client.get("/counter/lookup/postcode", {"address.postcode": "9808671", "target_id": "x"})
    answers = []

    def lookup():
        from django.test import Client

        other = Client()
        other.force_login(clerk)
        answers.append(other.get("/counter/lookup/postcode",
                                 {"address.postcode": "9800811", "target_id": "x"}).content.decode())

    thread = threading.Thread(target=lookup)
    thread.start()
    thread.join(20)
    assert "一番町" in answers[0]
