"""Disclosures and requests for minutes for partner agencies' systems:
/api/v1/disclosures/ and /api/v1/minutes-requests/.

A client acts as one user and sees exactly what that user sees in the browser: a disclosure
only with the case's disclosure permission, a request only as the Co-ordinator, its Chair,
or whoever received or logged it (jmappa/access.py). Anything else answers 404. Reads are
audited; a new record goes through the same services as the pages, which audit it.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, mixins, serializers, status
from rest_framework.response import Response

from cases.api import VisibleCaseField
from jmappa.core.api import (
    FIELD_ERRORS,
    AgencyBriefSerializer,
    BlankChoicesMixin,
    PersonSerializer,
    ScopedViewSet,
    list_and_retrieve,
    validation_error,
)
from meetings.selectors import meetings_for
from plans.models import ActionType, PlanAction

from . import selectors
from .filters import MinutesRequestFilter
from .forms import chairs, chief_officers
from .models import CRITERIA_FIELDS, Disclosure, MinutesRequest, Requester, RequestOutcome
from .services import disclosures, requests

DENIED = OpenApiResponse(description="Your role does not record this.")
REQUEST_FILTERS = [
    OpenApiParameter("outcome", OpenApiTypes.STR, enum=RequestOutcome.values,
                     description="Only requests with this outcome."),
    OpenApiParameter("requester_kind", OpenApiTypes.STR, enum=Requester.values,
                     description="Only requests from this kind of requester."),
    OpenApiParameter("overdue", OpenApiTypes.BOOL,
                     description="true: only requests past a time limit (not clarified, or "
                                 "no summary issued); false: only the others."),
]


class _Related(serializers.PrimaryKeyRelatedField):
    """A record by id, chosen from what the user may use: any other id reads as none."""

    def __init__(self, queryset_of, **kwargs):
        self.queryset_of = queryset_of
        kwargs.setdefault("error_messages", {
            "does_not_exist": "There is none with id {pk_value} that you may choose.",
            "incorrect_type": "Give the id, a number."})
        super().__init__(**kwargs)

    def get_queryset(self):
        return self.queryset_of(self.context["request"].user)


class DisclosureSerializer(BlankChoicesMixin, serializers.ModelSerializer):
    """A disclosure to a third party (§5.1-§5.3): the recipient, why it is considered, the
    eight criteria of §5.2, whether the offender is told, the endorsement at ACPO or DCO
    level, and how it was carried out."""

    case = serializers.IntegerField(source="nominal_id", read_only=True)
    case_reference = serializers.CharField(source="nominal.reference", read_only=True)
    meeting = serializers.IntegerField(source="meeting_id", read_only=True, allow_null=True)
    action = serializers.IntegerField(source="action_id", read_only=True, allow_null=True,
                                      help_text="The plan action of type disclosure.")
    endorser = PersonSerializer(read_only=True)
    officer = PersonSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Disclosure
        fields = ["id", "case", "case_reference", "meeting", "action", "recipient_name",
                  "recipient_kind", "recipient_role", "recipient_relationship",
                  "recipient_contact", "trigger", *CRITERIA_FIELDS, "offender_involvement",
                  "offender_told", "recipient_told_offender_unaware", "planned_by", "status",
                  "endorser", "endorsed_at", "endorsement_reasons", "disclosed_by", "officer",
                  "disclosed_on", "method", "what_was_said", "acknowledgement", "version"]
        read_only_fields = fields


class DisclosureCreateSerializer(serializers.ModelSerializer):
    """A disclosure a meeting agreed, awaiting the named senior officer's endorsement."""

    case = VisibleCaseField(help_text="The case (offender's record) id.")
    meeting = _Related(meetings_for, required=False, allow_null=True,
                       help_text="The meeting that agreed it.")
    action = _Related(lambda user: PlanAction.objects.visible_to(user).filter(
        action_type=ActionType.DISCLOSURE), required=False, allow_null=True,
        help_text="The case's plan action of type disclosure; one is added if left out.")
    endorser = _Related(lambda user: chief_officers(),
                        help_text="The senior officer of chief-officer grade (Police or "
                                  "Probation) who is to endorse it (user id).")

    class Meta:
        model = Disclosure
        fields = ["case", "meeting", "action", "endorser", "recipient_name",
                  "recipient_kind", "recipient_role", "recipient_relationship",
                  "recipient_contact", "trigger", *CRITERIA_FIELDS, "offender_involvement",
                  "offender_told", "recipient_told_offender_unaware", "planned_by"]
        extra_kwargs = {"recipient_told_offender_unaware": {"required": False}}
        # The rules (the offender-told one among them) are the service's to say.
        validators = []


class MinutesRequestSerializer(BlankChoicesMixin, serializers.ModelSerializer):
    """A request for a case's minutes in the register (§5.5)."""

    case = serializers.IntegerField(source="nominal_id", read_only=True)
    case_reference = serializers.CharField(source="nominal.reference", read_only=True)
    received_by = PersonSerializer(read_only=True)
    chair = PersonSerializer(read_only=True)
    redirected_to = AgencyBriefSerializer(read_only=True, allow_null=True)
    summary_status = serializers.SerializerMethodField(
        help_text="The Executive Summary's status, if one is drafted.")

    class Meta:
        model = MinutesRequest
        fields = ["id", "case", "case_reference", "requester_kind", "requester_name",
                  "received_on", "received_by", "chair", "what_is_sought",
                  "clarification_sought", "clarification_answer", "clarified_on", "outcome",
                  "redirected_to", "redirected_what", "declined_reason", "closed_on",
                  "summary_status", "version"]
        read_only_fields = fields

    def get_summary_status(self, item) -> str | None:
        summary = getattr(item, "summary", None) if hasattr(item, "summary") else None
        return summary.status if summary else None


class MinutesRequestCreateSerializer(serializers.ModelSerializer):
    """A request received: it is referred to the Chair and the Co-ordinator is told."""

    case = VisibleCaseField(help_text="The case (offender's record) id.")
    chair = _Related(lambda user: chairs(), help_text="The Chair it is referred to (user id).")

    class Meta:
        model = MinutesRequest
        fields = ["case", "requester_kind", "requester_name", "received_on", "chair",
                  "what_is_sought"]


class _CreateMixin(mixins.CreateModelMixin):
    read_serializer = None

    def get_serializer_class(self):
        return self.create_serializer if self.action == "create" else self.read_serializer

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        try:
            record = self.perform(data)
        except DjangoPermissionDenied as exc:
            raise exceptions.PermissionDenied(str(exc)) from exc
        except DjangoValidationError as exc:
            raise validation_error(exc) from exc
        fresh = self.get_queryset().get(pk=record.pk)
        return Response(self.read_serializer(fresh, context=self.get_serializer_context()).data,
                        status=status.HTTP_201_CREATED)


@list_and_retrieve(DisclosureSerializer, listed="The disclosures you may read, newest first",
                   one="One disclosure (the read is audited)")
class DisclosureViewSet(_CreateMixin, ScopedViewSet):
    """Disclosures to third parties (§5). Only the Co-ordinator and holders of a case's
    disclosure permission read them; any other answers 404."""

    model = Disclosure
    case_field = "nominal_id"
    versioned = True
    selector = selectors.disclosures_visible
    read_serializer = DisclosureSerializer
    create_serializer = DisclosureCreateSerializer
    serializer_class = DisclosureSerializer

    @extend_schema(summary="Record a disclosure a meeting agreed (a Chair, the Co-ordinator "
                           "or the case's managers)",
                   request=DisclosureCreateSerializer,
                   responses={201: DisclosureSerializer, 400: FIELD_ERRORS, 403: DENIED})
    def create(self, request, *args, **kwargs):
        return super().create(request, *args, **kwargs)

    def perform(self, data):
        return disclosures.disclosure_agree(
            nominal=data.pop("case"), actor=self.request.user, endorser=data.pop("endorser"),
            meeting=data.pop("meeting", None), action=data.pop("action", None), **data)


@list_and_retrieve(MinutesRequestSerializer,
                   listed="The requests for minutes you may read, latest received first",
                   parameters=REQUEST_FILTERS, one="One request for minutes (the read is audited)")
class MinutesRequestViewSet(_CreateMixin, ScopedViewSet):
    """The register of requests for minutes (§5.5)."""

    model = MinutesRequest
    case_field = "nominal_id"
    versioned = True
    filterset_class = MinutesRequestFilter
    read_serializer = MinutesRequestSerializer
    create_serializer = MinutesRequestCreateSerializer
    serializer_class = MinutesRequestSerializer

    @staticmethod
    def selector(user):
        return selectors.minutes_requests_visible(user).select_related("summary")

    @extend_schema(summary="Log a request for minutes you received",
                   request=MinutesRequestCreateSerializer,
                   responses={201: MinutesRequestSerializer, 400: FIELD_ERRORS, 403: DENIED})
    def create(self, request, *args, **kwargs):
        return super().create(request, *args, **kwargs)

    def perform(self, data):
        return requests.minutes_request_log(nominal=data.pop("case"), actor=self.request.user,
                                            **data)
