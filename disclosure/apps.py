from django.apps import AppConfig


class DisclosureConfig(AppConfig):
    name = "disclosure"
    label = "disclosure"
    verbose_name = "Disclosure"

    def ready(self):
        # Finalising minutes asks what the disclosure step recorded: meetings runs the
        # check it is handed here, never by importing this app.
        from cases.sections import CaseSection, register
        from meetings.services import minutes

        from .services import decisions

        minutes.register_finalise_check(decisions.finalise_problems)
        register(CaseSection("disclosures", "Disclosures", "disclosure:case", order=60))
