"""(being written) — see jumin/register/actions/__init__.py."""

__all__: list[str] = []
