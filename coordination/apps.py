from django.apps import AppConfig


class CoordinationConfig(AppConfig):
    name = "coordination"
    label = "coordination"
    verbose_name = "Coordinated services plans"

    def ready(self):
        from cases.sections import CaseSection, register

        register(CaseSection("services", "Services plan", "coordination:case", order=57))
