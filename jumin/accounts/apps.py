from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "jumin.accounts"
    label = "accounts"
    verbose_name = "利用者"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from jumin.accounts.middleware import remember_login_time

        user_logged_in.connect(remember_login_time, dispatch_uid="jumin.accounts.login_at")
