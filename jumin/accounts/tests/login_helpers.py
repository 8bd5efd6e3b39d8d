"""Shared by the login tests: a login POST from a given client address, and the operation log's login rows."""

from django.test import Client

from jumin.audit.models import OperationLog

PASSWORD = "correct horse battery"  # conftest's users


def attempt(username, password, address="10.0.0.1", client=None):
    client = client or Client()
    return client.post("/login/", {"username": username, "password": password}, REMOTE_ADDR=address)


def logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def rows(function="login", **filters):
    return list(OperationLog.objects.filter(function=function, **filters).order_by("pk"))
