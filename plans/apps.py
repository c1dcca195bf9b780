from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "plans"
    label = "plans"
    verbose_name = "Risk Management Plans"

    def ready(self):
        # The minutes of a meeting record the case's plan: meetings reads it through the
        # source the plan hands it here, never by importing this app.
        from cases.sections import CaseSection, register
        from meetings import plan_source

        from . import selectors

        plan_source.register(selectors)
        register(CaseSection("plan", "Plan", "plans:case", order=50))
