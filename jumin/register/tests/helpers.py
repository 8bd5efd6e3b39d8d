"""Small readers shared by the change-kind tests."""

from jumin.register.models import Resident, ResidentHistory


def person(number):
    return Resident.objects.get(addressee_number=number)


def history(number):
    """(履歴番号, 事由) of one person's snapshots, oldest first."""
    return list(ResidentHistory.objects.filter(addressee_number=number).order_by("history_number")
                .values_list("history_number", "reason_code"))


def register_state():
    """Everything a refused change must leave exactly as it was, with row counts by model (the change-kind
    tests compare the whole dict and read `counts`)."""
    from jumin.register.models import Change, ChangeSubject, Household

    return {
        "counts": {m.__name__: m.objects.count()
                   for m in (Resident, ResidentHistory, Change, ChangeSubject, Household)},
        "residents": list(Resident.objects.order_by("addressee_number").values()),
        "households": list(Household.objects.order_by("household_number").values()),
    }
