from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CoreConfig(AppConfig):
    name = "jmappa.core"
    label = "core"
    verbose_name = "Core"

    def ready(self):
        from jmappa.core.dbroles import grant_after_migrate

        post_migrate.connect(grant_after_migrate, dispatch_uid="jmappa-runtime-role")
