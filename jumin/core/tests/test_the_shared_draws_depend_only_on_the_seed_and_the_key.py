"""The shared synthetic draws (issue #15 item 11): an app's generator is seeded by (seed, its own key), so the
same seed gives the same names and addresses, another key gives others, and a new app drawing under its own
key can never shift what the register draws; the register's household builder is these same draws."""

from jumin.core.synthetic import AS_OF_DEFAULT, Draws, random_for, seed_key
from jumin.register.synthetic import HouseholdBuilder


def sample(seed, *key):
    d = Draws(random_for(seed, *key))
    return [(d.surname(), d.given("2", 720000), d.address()[:4], d.elsewhere(), d.domicile()) for _ in range(20)]


def test_the_same_seed_and_key_draw_the_same_people_and_places():
    assert sample(1, "addressees", 0) == sample(1, "addressees", 0)
    assert sample(1, "addressees", 0) != sample(1, "addressees", 1) != sample(2, "addressees", 0)


def test_the_register_draws_with_its_households_keys_through_the_same_draws():
    assert seed_key(1, 5) == "jumin-synthetic:1:5"
    builder = HouseholdBuilder(random_for(1, 5), AS_OF_DEFAULT)
    assert isinstance(builder, Draws)
    d = Draws(random_for(1, 5))
    assert [builder.surname() for _ in range(50)] == [d.surname() for _ in range(50)]
    postcode, code, address, _, ward, _ = Draws(random_for(3, "x")).address()
    assert address.startswith("宮城県仙台市") and len(postcode) == 7 and len(code) == 11
