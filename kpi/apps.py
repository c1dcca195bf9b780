from django.apps import AppConfig


class KpiConfig(AppConfig):
    name = "kpi"
    label = "kpi"
    verbose_name = "Strategic Management Board and KPIs"
