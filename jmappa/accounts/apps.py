from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "jmappa.accounts"
    label = "accounts"
    verbose_name = "Agencies and users"

    def ready(self):
        from . import signals  # noqa: F401
