from django.apps import AppConfig


class ExtractConfig(AppConfig):
    name = "jumin.extract"
    label = "extract"
    verbose_name = "データ抽出"
