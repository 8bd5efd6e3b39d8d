"""Small readers shared by the change-kind tests."""

from jumin.register.models import Resident, ResidentHistory


def person(number):
    return Resident.objects.get(addressee_number=number)


def history(number):
    """(履歴番号, 事由) of one person's snapshots, oldest first."""
    return list(ResidentHistory.objects.filter(addressee_number=number).order_by("history_number")
                .values_list("history_number", "reason_code"))

