from django.apps import AppConfig


class CustodyConfig(AppConfig):
    name = "custody"
    label = "custody"
    verbose_name = "Custody and release"

    def ready(self):
        from cases.sections import CaseSection, register

        register(CaseSection("custody", "Custody", "custody:case", order=52))
