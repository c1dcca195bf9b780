from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = "JMAPP meetings"

    def ready(self):
        from cases import decisions
        from cases.sections import CaseSection, register

        from . import selectors

        register(CaseSection("meetings", "Meetings", "meetings:case", order=40))
        # The register shows which meeting agreed to withhold from the offender (§3.6).
        decisions.register(decisions.WITHHOLDING, selectors.withholding_decision)
