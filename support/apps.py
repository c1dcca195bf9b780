from django.apps import AppConfig


class SupportConfig(AppConfig):
    name = "support"
    label = "support"
    verbose_name = "Support planning"

    def ready(self):
        from cases.sections import CaseSection, register

        register(CaseSection("support", "Support", "support:case", order=55))
