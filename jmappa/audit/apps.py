from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "jmappa.audit"
    label = "audit"
    verbose_name = "Audit trail"
