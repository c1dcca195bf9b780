from django.apps import AppConfig


class DisclosureConfig(AppConfig):
    name = "disclosure"
    label = "disclosure"
    verbose_name = "Disclosure"

    def ready(self):
        # Finalising minutes asks what the disclosure step recorded: meetings runs the
        # check it is handed here, never by importing this app.
        from meetings.services import minutes

        from .services import decisions

        minutes.register_finalise_check(decisions.finalise_problems)
