"""`jumin generate` is one command that every app extends (issue #15 item 11): each app's
`jumin.<app>.synthetic.CONTRIBUTOR` is found from INSTALLED_APPS and run after the parts it builds on, with
the parsed options and what the earlier parts returned; a circle of dependencies is refused in Japanese."""

import pytest

from jumin.core.synthetic import Contributor, GenerationRefused, Result, contributors, generate_city, ordered


class Part(Contributor):
    def __init__(self, name, after=(), seen=None):
        self.name, self.after, self.seen = name, tuple(after), seen if seen is not None else []

    def add_arguments(self, parser):
        parser.add_argument(f"--{self.name}-count", type=int, default=1)

    def generate(self, run):
        self.seen.append((self.name, run.seed, run.options.get(f"{self.name}_count"), list(run.results)))
        return Result(rows=[(self.name, "1")], seconds=0.5)


def test_the_installed_apps_parts_are_found_register_first():
    names = [c.name for c in contributors()]
    assert names[:1] == ["register"] and "search" in names
    assert names.index("search") > names.index("register")


def test_a_part_runs_after_the_parts_it_builds_on_otherwise_in_the_given_order():
    linkage, extraction = Part("linkage", after=["register", "addressees"]), Part("extraction", after=["register"])
    found = [linkage, Part("addressees", after=["register"]), extraction, Part("register"),
             Part("pmo", after=["not_installed"])]
    assert [c.name for c in ordered(found)] == ["register", "addressees", "linkage", "extraction", "pmo"]


def test_each_part_gets_the_options_and_the_earlier_results():
    seen = []
    run = generate_city({"seed": 7, "addressees_count": 3}, only=[Part("addressees", ["register"], seen),
                                                                 Part("register", seen=seen)])
    assert seen == [("register", 7, None, []), ("addressees", 7, 3, ["register"])]
    assert list(run.results) == ["register", "addressees"] and run.results["addressees"].rows == [("addressees", "1")]


def test_a_circle_of_dependencies_is_refused():
    with pytest.raises(GenerationRefused, match="循環"):
        ordered([Part("a", after=["b"]), Part("b", after=["a"])])
