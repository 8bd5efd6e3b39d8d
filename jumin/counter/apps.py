from django.apps import AppConfig


class CounterConfig(AppConfig):
    name = "jumin.counter"
    label = "counter"
    verbose_name = "窓口"
