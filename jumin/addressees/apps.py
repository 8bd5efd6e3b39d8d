from django.apps import AppConfig


class AddresseesConfig(AppConfig):
    name = "jumin.addressees"
    label = "addressees"
    verbose_name = "住登外宛名"
