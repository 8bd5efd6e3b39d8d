"""The change journal (issue #16, platform design §2): `journal.record` numbers the keys an action changed
gap-free, in commit order, inside the action's transaction.

Two writers at once, each in its own thread with its own database connection: the second one waits on the
counter row until the first commits, so the numbers never repeat and the later commit has the higher numbers.
A rolled-back action gives its numbers back: it leaves no journal row and no hole. On PostgreSQL this is a real
row lock; on SQLite (a file database) BEGIN IMMEDIATE serialises the writers the same way.
"""

import threading
import time

import pytest
from django.db import connection, transaction

from conftest import actor, family_params
from jumin.core import journal
from jumin.core.models import Journal, Municipality

pytestmark = pytest.mark.django_db(transaction=True)


def seqs():
    return list(Journal.objects.order_by("seq").values_list("seq", "entity", "key"))


def test_keys_get_consecutive_numbers_and_a_rolled_back_action_leaves_no_row():
    with transaction.atomic():
        assert journal.record("residents", ["0000000019", "0000000027", "0000000019"]) == 2   # duplicates once
    with pytest.raises(RuntimeError), transaction.atomic():
        journal.record("households", ["0000000035"])
        raise RuntimeError("the action failed after journaling")
    with transaction.atomic():
        journal.record_many({"history": [("0000000019", 2)], "changes": [7]})
    assert seqs() == [(1, "residents", "0000000019"), (2, "residents", "0000000027"),
                      (3, "history", "0000000019|2"), (4, "changes", "7")]


def test_collecting_writes_once_at_the_end_and_nothing_when_the_block_fails():
    with transaction.atomic(), journal.collecting():
        journal.record("residents", ["0000000019"])
        with journal.collecting():                   # a nested block joins the outer one
            journal.record("seals", ["10000006"])
        assert Journal.objects.count() == 0          # not yet: the action's last step writes it
    assert [k for _, _, k in seqs()] == ["0000000019", "10000006"]
    with pytest.raises(RuntimeError), transaction.atomic(), journal.collecting():
        journal.record("residents", ["0000000027"])
        raise RuntimeError("refused")
    assert len(seqs()) == 2


def test_record_outside_a_transaction_is_a_programming_error():
    with pytest.raises(AssertionError):
        journal.record("residents", ["0000000019"])
    assert Journal.objects.count() == 0


def test_a_refused_change_journals_nothing_and_an_approved_one_journals_every_row_it_wrote(clerk):
    from jumin.core.errors import RuleViolation
    from jumin.register.actions import do_move_in

    Municipality.objects.create(code="041009", name="仙台市", prefecture="宮城県", draft_required=False)
    with pytest.raises(RuleViolation):
        do_move_in(family_params(effective_on="R99.1.1"), actor=actor(clerk))
    assert Journal.objects.count() == 0
    change = do_move_in(family_params(), actor=actor(clerk))
    journaled = {(e, k) for _, e, k in seqs()}
    created = change.result["created"]
    assert journaled == ({("residents", n) for n in created} | {("history", f"{n}|1") for n in created}
                         | {("households", change.result["households"][0]), ("changes", str(change.pk))})


def test_two_writers_at_once_never_get_the_same_number_and_commit_in_number_order():
    outcome = {}
    holding = threading.Event()

    def first():
        try:
            with transaction.atomic():
                journal.record("residents", ["A1", "A2"])
                holding.set()
                time.sleep(0.5)                      # the second writer is now waiting on the counter row
                outcome["first_committed"] = time.monotonic()
        finally:
            holding.set()
            connection.close()

    def second():
        holding.wait(10)
        try:
            with transaction.atomic():
                journal.record("residents", ["B1"])
                outcome["second_numbered"] = time.monotonic()
        except Exception as exc:  # noqa: BLE001 - recorded for the assertion
            outcome["error"] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert "error" not in outcome, outcome
    assert seqs() == [(1, "residents", "A1"), (2, "residents", "A2"), (3, "residents", "B1")]
    assert outcome["second_numbered"] >= outcome["first_committed"]   # it could not number before the commit


def test_many_writers_at_once_give_one_unbroken_sequence():
    errors = []

    def writer(i):
        try:
            for j in range(5):
                with transaction.atomic():
                    journal.record("residents", [f"w{i}-{j}-a", f"w{i}-{j}-b"])
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=writer, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert errors == []
    rows = seqs()
    assert [s for s, _, _ in rows] == list(range(1, 41))
    for s, _, key in rows:               # the two keys of one transaction are neighbours: nothing interleaved
        if key.endswith("-a"):
            assert (s + 1, "residents", key[:-1] + "b") in rows
