import pytest

from conftest import _user
from jumin.accounts import rules as perms


@pytest.fixture
def admin(admin_user):
    """The administrator who registers 連携先, loads CS files and reads the delivery status."""
    return admin_user


@pytest.fixture
def supervisor(db):
    return _user("supervisor", perms.SUPERVISOR, "支援 五郎")
