from django.apps import AppConfig


class RegisterConfig(AppConfig):
    name = "jumin.register"
    label = "register"
    verbose_name = "住民記録"

    def ready(self):
        from jumin.register.actions import base  # noqa: F401  (registers the planners)
        from jumin.register import actions  # noqa: F401
