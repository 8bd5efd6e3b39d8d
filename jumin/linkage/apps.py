from django.apps import AppConfig


class LinkageConfig(AppConfig):
    name = "jumin.linkage"
    label = "linkage"
    verbose_name = "庁内連携"

    def ready(self):
        from jumin.linkage import actions  # noqa: F401  (the outbox listens to the register's changes)
