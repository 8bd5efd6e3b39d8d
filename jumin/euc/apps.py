from django.apps import AppConfig


class EucConfig(AppConfig):
    name = "jumin.euc"
    label = "euc"
    verbose_name = "EUC（データ抽出）"
