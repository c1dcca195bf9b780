from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = "JMAPPA offenders"

    def ready(self):
        from .sections import CaseSection, register
        from .views.sections import register_sections

        register_sections()
        register(CaseSection("chronology", "Chronology", "cases:chronology", order=65))
