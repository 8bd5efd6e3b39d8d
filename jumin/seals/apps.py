from django.apps import AppConfig


class SealsConfig(AppConfig):
    name = "jumin.seals"
    label = "seals"
    verbose_name = "印鑑登録"

    def ready(self):
        from jumin.seals import actions  # noqa: F401  (職権抹消 and 住所 follow the register's changes)
