from django.apps import AppConfig


class AlertsConfig(AppConfig):
    name = "alerts"
    label = "alerts"
    verbose_name = "Alerts"

    def ready(self):
        from django.db.models.signals import post_save

        from custody.signals import lead_changed
        from jmappa.core.deadlines import deadlines_changed
        from meetings.models import Invitation
        from referrals.models import Referral

        from . import notices
        from .services import on_deadlines_changed

        deadlines_changed.connect(on_deadlines_changed, dispatch_uid="alerts-refresh-case")
        post_save.connect(notices.referral_saved, sender=Referral,
                          dispatch_uid="alerts-notice-referral")
        post_save.connect(notices.invitation_saved, sender=Invitation,
                          dispatch_uid="alerts-notice-invitation")
        lead_changed.connect(notices.lead_changed, dispatch_uid="alerts-notice-lead")
