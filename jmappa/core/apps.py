from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "jmappa.core"
    label = "core"
    verbose_name = "Core"
