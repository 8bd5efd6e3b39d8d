import pytest


@pytest.fixture
def yamada(family):
    """The conftest family by role: 世帯主 山田 太郎, 妻 山田 花子, 子 山田 一郎, and their 世帯番号."""
    head, wife, child = family["created"]
    return {"head": head, "wife": wife, "child": child, "household": family["households"][0]}
