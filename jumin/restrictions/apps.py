from django.apps import AppConfig


class RestrictionsConfig(AppConfig):
    name = "jumin.restrictions"
    label = "restrictions"
    verbose_name = "抑止・支援措置"
