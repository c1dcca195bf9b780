from django.apps import AppConfig


class AlertsConfig(AppConfig):
    name = "alerts"
    label = "alerts"
    verbose_name = "Alerts"

    def ready(self):
        from jmappa.core.deadlines import deadlines_changed

        from .services import on_deadlines_changed

        deadlines_changed.connect(on_deadlines_changed, dispatch_uid="alerts-refresh-case")
