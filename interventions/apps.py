from django.apps import AppConfig


class InterventionsConfig(AppConfig):
    name = "interventions"
    label = "interventions"
    verbose_name = "Integrated intervention packages"

    def ready(self):
        from cases.sections import CaseSection, register

        register(CaseSection("interventions", "Interventions", "interventions:case", order=58))
