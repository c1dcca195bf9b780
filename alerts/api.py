"""Alerts for partner agencies' systems: /api/v1/alerts/.

A client acts as one user and sees exactly the alerts that user sees in the browser: those
of the cases they may see (jmappa/access.py), the Co-ordinator every one. An alert of a case
the user may not see answers 404 and is absent from every list. Reads are audited. Alerts
are kept by the deadline sweep: the API only reads them.
"""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.utils import OpenApiResponse, extend_schema_field
from rest_framework import serializers

from jmappa.core.api import ScopedViewSet, list_and_retrieve

from . import selectors
from .models import Alert, Rule


class SubjectSerializer(serializers.Serializer):
    type = serializers.CharField(
        help_text="What the alert is about: meetings.meeting, meetings.followup, "
                  "cases.planaction, referrals.referral or cases.nominal (the case itself).")
    id = serializers.IntegerField(help_text="Its id.")


@extend_schema_field(SubjectSerializer)
class SubjectField(serializers.Field):
    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, alert):
        return {"type": alert.subject_type, "id": alert.subject_id}


class AlertSerializer(serializers.ModelSerializer):
    """One thing due or overdue under a time rule of the Guidance, and who must act."""

    rule = serializers.ChoiceField(
        choices=Rule.choices, read_only=True,
        help_text="The rule, by its stable code (such as `review_due`).")
    rule_display = serializers.CharField(source="get_rule_display", read_only=True)
    case = serializers.IntegerField(
        source="nominal_id", read_only=True, allow_null=True,
        help_text="The case (offender record) id; null while there is no case yet (a "
                  "referral being screened).")
    subject = SubjectField()
    overdue = serializers.BooleanField(
        source="is_overdue", read_only=True,
        help_text="Open and past its due date; false once resolved.")
    resolved = serializers.SerializerMethodField(help_text="Its condition has cleared.")
    assigned_role = serializers.CharField(
        read_only=True, help_text="The role that acts where no person is named (assigned_to "
                                  "null): coordinator, administrator...; may be set as well.")

    class Meta:
        model = Alert
        fields = ["id", "rule", "rule_display", "case", "subject", "due_on", "overdue",
                  "assigned_to", "assigned_role", "resolved", "raised_at", "resolved_at"]
        read_only_fields = fields

    def get_resolved(self, alert) -> bool:
        return alert.resolved_at is not None


class AlertFilterSerializer(serializers.Serializer):
    rule = serializers.ChoiceField(choices=Rule.choices, required=False,
                                   help_text="Only alerts of this rule (its code).")
    case = serializers.IntegerField(min_value=1, required=False,
                                    help_text="Only alerts of this case (its id).")
    overdue = serializers.BooleanField(
        required=False, allow_null=True, default=None,
        help_text="true: only overdue; false: only due soon (today or later).")
    resolved = serializers.BooleanField(
        required=False, default=False,
        help_text="false (the default): open alerts; true: resolved ones.")


@list_and_retrieve(
    AlertSerializer, listed="The alerts you may see: overdue first, then by due date",
    parameters=[AlertFilterSerializer], one="One alert (the read is audited)",
    bad_filter=OpenApiResponse(description="A filter's value is not valid: the errors by "
                                           "filter."))
class AlertViewSet(ScopedViewSet):
    """What the Guidance's time rules say is due or overdue, case by case, and who must
    act: the same alerts as the "Due and overdue" page. A partner agency's system polls its
    people's open alerts here."""

    model = Alert
    case_field = "nominal_id"
    serializer_class = AlertSerializer

    @staticmethod
    def selector(user):
        return selectors.alerts_for(user, resolved=None, today=timezone.localdate())

    def filtered(self):
        filters = AlertFilterSerializer(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        data = filters.validated_data
        alerts = selectors.alerts_for(
            self.request.user, rule=data.get("rule"), overdue=data.get("overdue"),
            resolved=data.get("resolved", False), today=timezone.localdate(),
        )
        if data.get("case"):
            alerts = alerts.filter(nominal_id=data["case"])
        return alerts
