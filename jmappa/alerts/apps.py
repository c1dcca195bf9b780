from django.apps import AppConfig


class AlertsConfig(AppConfig):
    name = "jmappa.alerts"
    label = "alerts"
    verbose_name = "Alerts"
