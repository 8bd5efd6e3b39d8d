"""htmx posts the whole form with an instant check; the check must read the input that triggered it (named by
the HX-Trigger-Name header), not the form's first value."""

from django.test import Client


def test_the_date_check_reads_the_triggering_field_among_the_forms_values(clerk):
    client = Client()
    client.force_login(clerk)
    form = {"addressee_number": "0000000027", "members-0-birth_date": "S45.3.1", "label": "生年月日"}
    answer = client.post("/counter/check/date", form, HTTP_HX_REQUEST="true",
                         HTTP_HX_TRIGGER_NAME="members-0-birth_date").content.decode()
    assert "昭和45年3月1日" in answer and "0000000027" not in answer


def test_the_relationship_check_reads_the_triggering_field(clerk):
    client = Client()
    client.force_login(clerk)
    form = {"name": "山田 花子", "members-1-relationship": "妻"}
    answer = client.post("/counter/check/relationship", form, HTTP_HX_TRIGGER_NAME="members-1-relationship")
    assert 'class="ok"' in answer.content.decode()
