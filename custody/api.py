"""Custody and joined-up planning for partner agencies' systems: /api/v1/sentences/,
/api/v1/custody-events/, /api/v1/breaches/, /api/v1/planning-meetings/ and
/api/v1/team-actions/, read as the pages are: whoever sees the case reads them, any other
answers 404; every read is audited. They are written on the pages, where the lead, the
transfer's notice to the receiving establishment and the recall questions are shown to whoever
records them."""

from __future__ import annotations

from rest_framework import serializers

from jmappa.core.api import BlankChoicesMixin, ScopedViewSet, list_and_retrieve

from . import selectors
from .models import Breach, CustodyEvent, PlanningMeeting, Sentence, TeamAction


class SentenceSerializer(BlankChoicesMixin, serializers.ModelSerializer):
    """A sentence, remand or recall; the latest is the current one."""

    case = serializers.IntegerField(source="nominal_id", read_only=True)
    twelve_months_or_more = serializers.BooleanField(
        read_only=True, help_text="Sentenced to 12 months custody or more (§3.8).")

    class Meta:
        model = Sentence
        fields = ["id", "case", "kind", "length_months", "sentenced_on", "earliest_release_on",
                  "temporary_release_on", "licence_end_on", "sentence_end_on",
                  "establishment", "twelve_months_or_more"]
        read_only_fields = fields


class CustodyEventSerializer(BlankChoicesMixin, serializers.ModelSerializer):
    case = serializers.IntegerField(source="nominal_id", read_only=True)

    class Meta:
        model = CustodyEvent
        fields = ["id", "case", "kind", "occurred_on", "establishment", "receiving_told"]
        read_only_fields = fields


class BreachSerializer(BlankChoicesMixin, serializers.ModelSerializer):
    """A breach or non-compliance, the action taken, and the recall decision where one was
    requested."""

    case = serializers.IntegerField(source="nominal_id", read_only=True)
    condition = serializers.IntegerField(source="condition_id", read_only=True,
                                         allow_null=True)
    intervention = serializers.IntegerField(
        source="intervention_id", read_only=True, allow_null=True,
        help_text="The package intervention not complied with, if any.")
    recalled = serializers.SerializerMethodField(
        help_text="True or false once a recall requested is decided; null before, or where "
                  "none was requested.")

    class Meta:
        model = Breach
        fields = ["id", "case", "condition", "intervention", "occurred_on", "what_happened",
                  "reported_by", "action", "action_on", "recalled"]
        read_only_fields = fields

    def get_recalled(self, breach) -> bool | None:
        recall = getattr(breach, "recall", None)
        return recall.recalled if recall else None


class PlanningMeetingSerializer(BlankChoicesMixin, serializers.ModelSerializer):
    """A meeting of the joined-up team (seed 003) and its record."""

    case = serializers.IntegerField(source="nominal_id", read_only=True)

    class Meta:
        model = PlanningMeeting
        fields = ["id", "case", "kind", "held_on", "mode", "place", "status", "chair",
                  "person_present", "information_shared", "recall_review", "approach_agreed",
                  "my_plan_completed", "plans_updated", "progress", "ending_support",
                  "next_steps", "version"]
        read_only_fields = fields


class TeamActionSerializer(serializers.ModelSerializer):
    """An action of the team actions log: owned by a member of the team, or by the person."""

    case = serializers.IntegerField(source="nominal_id", read_only=True)
    owner_role = serializers.CharField(source="owner.role", read_only=True, default="",
                                       help_text="The owner's role in the team; empty where "
                                                 "the person owns it.")

    class Meta:
        model = TeamAction
        fields = ["id", "case", "action", "owner_role", "by_the_person", "due_on", "done_on",
                  "version"]
        read_only_fields = fields


@list_and_retrieve(SentenceSerializer, listed="The sentences you may read",
                   one="One sentence (the read is audited)")
class SentenceViewSet(ScopedViewSet):
    model = Sentence
    case_field = "nominal_id"
    selector = selectors.sentences_visible
    serializer_class = SentenceSerializer


@list_and_retrieve(CustodyEventSerializer, listed="The custody events you may read",
                   one="One custody event (the read is audited)")
class CustodyEventViewSet(ScopedViewSet):
    model = CustodyEvent
    case_field = "nominal_id"
    selector = selectors.events_visible
    serializer_class = CustodyEventSerializer


@list_and_retrieve(BreachSerializer, listed="The breaches you may read",
                   one="One breach (the read is audited)")
class BreachViewSet(ScopedViewSet):
    model = Breach
    case_field = "nominal_id"
    selector = selectors.breaches_visible
    serializer_class = BreachSerializer


@list_and_retrieve(PlanningMeetingSerializer,
                   listed="The meetings of joined-up teams you may read",
                   one="One meeting of a joined-up team (the read is audited)")
class PlanningMeetingViewSet(ScopedViewSet):
    model = PlanningMeeting
    case_field = "nominal_id"
    versioned = True
    selector = selectors.planning_meetings_visible
    serializer_class = PlanningMeetingSerializer


@list_and_retrieve(TeamActionSerializer, listed="The team actions you may read",
                   one="One action of a team actions log (the read is audited)")
class TeamActionViewSet(ScopedViewSet):
    model = TeamAction
    case_field = "nominal_id"
    versioned = True
    selector = selectors.actions_visible
    serializer_class = TeamActionSerializer
