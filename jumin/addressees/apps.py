from django.apps import AppConfig


class AddresseesConfig(AppConfig):
    name = "jumin.addressees"
    label = "addressees"
    verbose_name = "住登外宛名"

    def ready(self):
        from jumin.addressees import actions  # noqa: F401  (answers the register when a 住登外者 becomes a resident)
