from django.apps import AppConfig


class RestrictionsConfig(AppConfig):
    name = "jumin.restrictions"
    label = "restrictions"
    verbose_name = "抑止・支援措置"

    def ready(self):
        from jumin.restrictions import actions  # noqa: F401  (前住所 mode follows the register's changes)
