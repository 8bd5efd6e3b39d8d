"""What the management commands share about their user: every command acts as a named user of the system, whose
role decides what it may do and whom the operation log names."""

from django.core.management.base import CommandError


def account_of(username: str):
    """The active user a command acts as, or a CommandError that says how to create one."""
    from jumin.accounts.models import User

    account = User.objects.filter(username=username).first()
    if account is None or not account.is_active:
        raise CommandError(f"利用者 {username} は存在しません（jumin user で作成してください）。")
    return account
