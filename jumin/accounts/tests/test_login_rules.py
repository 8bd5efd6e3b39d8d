"""The pure login rules (accounts.rules): the lock, the address throttle, the absolute session lifetime, the
client address behind proxies and the user name as logged."""

from jumin.accounts import rules


def test_the_lock_comes_at_the_limit():
    assert not rules.is_locked(4, 5)
    assert rules.is_locked(5, 5) and rules.is_locked(6, 5)


def test_the_address_throttle_comes_at_the_limit():
    assert not rules.is_address_throttled(19, 20)
    assert rules.is_address_throttled(20, 20)


def test_a_session_expires_at_its_lifetime_or_without_a_login_time():
    assert not rules.session_expired(1000.0, 1000.0 + 3599, 3600)
    assert rules.session_expired(1000.0, 1000.0 + 3600, 3600)
    assert rules.session_expired(None, 1000.0, 3600)


def test_the_client_address_trusts_only_what_the_proxies_appended():
    assert rules.client_address("10.0.0.1", "1.1.1.1", 0) == "10.0.0.1"
    assert rules.client_address("10.0.0.1", "6.6.6.6, 1.1.1.1", 1) == "1.1.1.1"
    assert rules.client_address("10.0.0.1", "6.6.6.6, 1.1.1.1, 2.2.2.2", 2) == "1.1.1.1"
    assert rules.client_address("10.0.0.1", "", 1) == "10.0.0.1"


def test_the_logged_user_name_has_no_control_characters_and_fits_the_column():
    assert rules.loggable_username("ab\x00c\nd") == "abcd"
    assert len(rules.loggable_username("x" * 500)) == 150


def test_the_messages_name_the_limit_and_the_wait():
    assert "5回" in rules.locked_message(5) and "システム管理者" in rules.locked_message(5)
    assert "15分" in rules.address_throttled_message(900)
