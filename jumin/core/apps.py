from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "jumin.core"
    label = "core"
    verbose_name = "共通"
