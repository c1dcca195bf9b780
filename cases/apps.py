from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = "JMAPPA offenders"

    def ready(self):
        from .sections import CaseSection, register

        register(CaseSection("chronology", "Chronology", "cases:chronology", order=65))
