from django.apps import AppConfig


class StatsConfig(AppConfig):
    """統計 (住民記録 §10.1): the built-in statistics — population, households and the 住基月報 — as of any day.
    No tables of its own (no models, no actions): everything is read from the register's history."""

    name = "jumin.stats"
    label = "stats"
    verbose_name = "統計"
