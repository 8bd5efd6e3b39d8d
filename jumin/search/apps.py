from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "jumin.search"
    label = "search"
    verbose_name = "検索"

    def ready(self):
        from jumin.search import actions  # noqa: F401  (connects the index upkeep to the register's changes)
