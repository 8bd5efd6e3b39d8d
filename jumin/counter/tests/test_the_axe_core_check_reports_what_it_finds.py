"""The accessibility check can fail: on a served screen (under its CSP) axe-core reports an input whose label
was taken away and an image without alt, naming the element — so the 0 of the screens test means something."""

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def test_axe_names_an_unlabelled_input_and_an_image_without_alt(clerk, screens):
    desk = screens("axe-self-check")
    desk.go("/login/")
    assert desk.axe() == []
    desk.page.evaluate("""() => {
        document.querySelectorAll('label').forEach(l => l.remove());
        document.querySelector('main, body').append(Object.assign(document.createElement('img'), {id: 'no-alt'}));
    }""")
    found = {v["id"]: v["targets"] for v in desk.axe()}
    assert "#no-alt" in found["image-alt"]
    assert any("username" in target for target in found["label"]), found
    assert "image-alt" not in {v["id"] for v in desk.axe(disable=["image-alt"])}
