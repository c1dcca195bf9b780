"""Support planning for partner agencies' systems (seed 000): /api/v1/support-meetings/,
/api/v1/support-people/ and /api/v1/safety-plans/, read as the pages are: whoever sees the
case reads them, any other answers 404; every read is audited. They are written on the pages,
where the consent gate and the person-attends rule are shown to whoever records them."""

from __future__ import annotations

from rest_framework import serializers

from jmappa.core.api import BlankChoicesMixin, ScopedViewSet, list_and_retrieve

from . import selectors
from .models import SafetyPlan, SupportMeeting, SupportPerson


class SupportMeetingSerializer(BlankChoicesMixin, serializers.ModelSerializer):
    """A Support Planning Meeting and its record (the person always attends)."""

    case = serializers.IntegerField(source="nominal_id", read_only=True)
    case_reference = serializers.CharField(source="nominal.reference", read_only=True)
    attendees = serializers.PrimaryKeyRelatedField(many=True, read_only=True,
                                                   help_text="Network members present.")

    class Meta:
        model = SupportMeeting
        fields = ["id", "case", "case_reference", "starts_at", "location", "status",
                  "attendees", "professionals_present", "introductions", "risk_meaning",
                  "specific_risks", "offence_chain", "coping_strategies", "commitments",
                  "next_steps", "next_frequency", "next_meeting_by", "final", "version"]
        read_only_fields = fields


class SupportPersonSerializer(BlankChoicesMixin, serializers.ModelSerializer):
    """A member of the support network: never a user of the service."""

    case = serializers.IntegerField(source="nominal_id", read_only=True)
    # Empty where they have none: a plain string, not the "email" format.
    email = serializers.CharField(read_only=True, help_text="Their email, or empty.")

    class Meta:
        model = SupportPerson
        fields = ["id", "case", "name", "relationship", "network_role", "practical_role",
                  "phone", "email", "receives_safety_plan", "receives_risks",
                  "receives_contacts", "left_on", "version"]
        read_only_fields = fields


class SafetyPlanSerializer(serializers.ModelSerializer):
    """One version of the safety plan; the highest number is the plan in force."""

    case = serializers.IntegerField(source="nominal_id", read_only=True)
    reviewed_at = serializers.IntegerField(source="reviewed_at_id", read_only=True,
                                           allow_null=True,
                                           help_text="The meeting that agreed it.")

    class Meta:
        model = SafetyPlan
        fields = ["id", "case", "number", "conditions", "strategies", "supporters",
                  "warning_signs", "reviewed_at", "created_at"]
        read_only_fields = fields


@list_and_retrieve(SupportMeetingSerializer, listed="The Support Planning Meetings you may read",
                   one="One Support Planning Meeting (the read is audited)")
class SupportMeetingViewSet(ScopedViewSet):
    model = SupportMeeting
    case_field = "nominal_id"
    versioned = True
    serializer_class = SupportMeetingSerializer

    @staticmethod
    def selector(user):
        return selectors.meetings_visible(user).prefetch_related("attendees")


@list_and_retrieve(SupportPersonSerializer, listed="The support network members you may read",
                   one="One member of a support network (the read is audited)")
class SupportPersonViewSet(ScopedViewSet):
    model = SupportPerson
    case_field = "nominal_id"
    versioned = True
    selector = selectors.people_visible
    serializer_class = SupportPersonSerializer


@list_and_retrieve(SafetyPlanSerializer, listed="The safety plans (every version) you may read",
                   one="One version of a safety plan (the read is audited)")
class SafetyPlanViewSet(ScopedViewSet):
    model = SafetyPlan
    case_field = "nominal_id"
    selector = selectors.safety_plans_visible
    serializer_class = SafetyPlanSerializer
