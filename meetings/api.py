"""JMAPP meetings and their minutes for partner agencies' systems: /api/v1/meetings/.

A client acts as one user and sees exactly the meetings that user sees in the browser: those
of the cases they may see (jmappa/access.py). Any other meeting answers 404 and is absent
from every list, as are its minutes. Reads are audited; the minutes are changed and
finalised through meetings/services/minutes.py, which audits every write.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Case, CharField, Exists, OuterRef, Prefetch, Value, When
from drf_spectacular.utils import (
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
)
from rest_framework import exceptions, serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from cases.api import VisibleCaseField
from jmappa import access
from jmappa.accounts.models import Agency
from jmappa.audit.services import audit_read
from jmappa.core.api import (
    IF_MATCH,
    NO_VERSION,
    AgencyBriefSerializer,
    PersonSerializer,
    ScopedViewSet,
    list_and_retrieve,
    request_version,
    stale,
    stale_response,
    validation_error,
    versioned,
)
from jmappa.core.versioning import StaleEdit

from . import selectors
from .models import (
    AgencyInformation,
    Attendance,
    Invitation,
    Meeting,
    MeetingKind,
    MeetingStatus,
    Minutes,
    MinutesStatus,
)
from .services import minutes as minutes_services
from .services.minutes import MINUTES_FIELDS

# -- serializers ---------------------------------------------------------------------------


class InvitationSerializer(serializers.ModelSerializer):
    agency = AgencyBriefSerializer(read_only=True)

    class Meta:
        model = Invitation
        fields = ["id", "agency", "name", "reason", "response", "responded_at", "sent_at"]
        read_only_fields = fields


class AttendanceSerializer(serializers.ModelSerializer):
    agency = AgencyBriefSerializer(read_only=True)

    class Meta:
        model = Attendance
        fields = ["id", "agency", "attendee_name", "mode", "grade", "meets_seniority"]
        read_only_fields = fields


class MeetingSerializer(serializers.ModelSerializer):
    """One discussion of one case (§10), with its invitations and, once held, who attended.

    `date` is the day of `starts_at` in Jersey. `minutes_due_by` is set when the meeting is
    held (§10.12); `next_review_by` when its minutes are final (§10.11)."""

    case = serializers.IntegerField(source="nominal_id", read_only=True,
                                    help_text="The case (offender's record) id.")
    case_reference = serializers.CharField(source="nominal.reference", read_only=True)
    level = serializers.IntegerField(read_only=True, help_text="1, 2 or 3.")
    date = serializers.DateField(read_only=True, help_text="The meeting's day, in Jersey.")
    is_emergency = serializers.BooleanField(read_only=True)
    chair = PersonSerializer(read_only=True, allow_null=True)
    panel = serializers.IntegerField(source="panel_id", read_only=True, allow_null=True,
                                     help_text="The set panel date it is held on, if any.")
    referral = serializers.IntegerField(source="referral_id", read_only=True, allow_null=True,
                                        help_text="The referral it was arranged for, if any.")
    minutes_status = serializers.ChoiceField(
        choices=MinutesStatus.choices, read_only=True, allow_null=True,
        help_text="final once the Chair has finalised the minutes (a correction may be "
                  "drafted beside them), draft while they are being written, null before.")
    invitations = InvitationSerializer(
        many=True, read_only=True, help_text="The invitations not withdrawn.")
    attendance = AttendanceSerializer(
        many=True, read_only=True, help_text="Who attended for each invited agency, and how.")

    class Meta:
        model = Meeting
        fields = [
            "id", "case", "case_reference", "kind", "level", "is_emergency", "is_review",
            "date", "starts_at", "location", "panel", "referral", "chair", "status",
            "cancelled_reason", "late_reason", "minutes_due_by", "next_review_by",
            "minutes_status", "invitations", "attendance", "version",
        ]
        read_only_fields = fields


class MeetingFilterSerializer(serializers.Serializer):
    case = VisibleCaseField(required=False, help_text="Only the meetings of this case (id).")
    level = serializers.ChoiceField(choices=[1, 2, 3], required=False,
                                    help_text="Only meetings of this level.")
    kind = serializers.ChoiceField(choices=MeetingKind.choices, required=False,
                                   help_text="Only meetings of this kind.")
    status = serializers.ChoiceField(choices=MeetingStatus.choices, required=False,
                                     help_text="Only meetings in this status.")
    date_from = serializers.DateField(required=False,
                                      help_text="Only meetings on or after this day.")
    date_to = serializers.DateField(required=False,
                                    help_text="Only meetings on or before this day.")

    def get_fields(self):
        # `from` and `to` cannot be attribute names.
        fields = super().get_fields()
        fields["from"] = fields.pop("date_from")
        fields["to"] = fields.pop("date_to")
        return fields

    def validate(self, attrs):
        if attrs.get("from") and attrs.get("to") and attrs["from"] > attrs["to"]:
            raise serializers.ValidationError({"to": ["This day is before the `from` day."]})
        return attrs


class AgencyInformationSerializer(serializers.ModelSerializer):
    agency = serializers.PrimaryKeyRelatedField(
        queryset=Agency.objects.filter(is_active=True),
        error_messages={"does_not_exist": "There is no agency with id {pk_value}.",
                        "incorrect_type": "Give the agency's id, a number."})
    agency_name = serializers.CharField(source="agency.name", read_only=True)
    information = serializers.CharField(allow_blank=True, trim_whitespace=True)

    class Meta:
        model = AgencyInformation
        fields = ["agency", "agency_name", "information"]

    def validate(self, attrs):
        # A partial change of the minutes does not make a row partial: a row replaces what
        # the agency shared, so it names the agency and says what (empty to remove it).
        missing = {name: ["This field is required."] for name in ("agency", "information")
                   if name not in attrs}
        if missing:
            raise serializers.ValidationError(missing)
        return attrs


class PlanRowSerializer(serializers.Serializer):
    """An action of the plan as the minutes show it."""

    id = serializers.IntegerField()
    description = serializers.CharField()
    type = serializers.CharField(help_text="The action type.")
    type_label = serializers.CharField()
    owner_agency = serializers.CharField(help_text="The owner agency's name.")
    owner = serializers.CharField(help_text="The named owner, or empty.")
    due_date = serializers.CharField(help_text="The completion date (ISO), or empty.")
    plan_reference = serializers.CharField()
    status = serializers.CharField()
    status_label = serializers.CharField()


class MinutesSerializer(serializers.ModelSerializer):
    """One version of a meeting's minutes, structured as the Guidance asks (§10.2, §10.12):
    the confidentiality statement, the agreed risk, the level decision, discharge and
    disclosure considered, differences of opinion, withholding from the offender, the next
    review, the information shared by each agency and the Risk Management Plan.

    `version` changes at every save (send it back to change the draft); `number` is the
    version of the minutes (a correction to final minutes is the next number). `plan` is the
    plan as it stands for a draft, as agreed for final minutes. `finalise_problems`: what
    finalising a draft still needs, by field (`plan` for the plan); empty when it can be."""

    meeting = serializers.IntegerField(source="meeting_id", read_only=True)
    information = AgencyInformationSerializer(
        many=True, required=False,
        help_text="The information shared by each agency. When sent, it replaces the list.")
    plan = serializers.SerializerMethodField()
    finalise_problems = serializers.SerializerMethodField()
    drafted_by = PersonSerializer(read_only=True)
    finalised_by = PersonSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Minutes
        fields = [
            "id", "meeting", "number", "status", "correction_reason",
            "confidentiality_statement", *MINUTES_FIELDS, "information", "plan",
            "finalise_problems", "drafted_by", "finalised_by", "finalised_at", "created_at",
            "updated_at", "version",
        ]
        read_only_fields = [name for name in fields if name not in MINUTES_FIELDS]

    @extend_schema_field(PlanRowSerializer(many=True))
    def get_plan(self, minutes: Minutes):
        return self.context["plan"]

    @extend_schema_field({"type": "object", "additionalProperties": {
        "type": "array", "items": {"type": "string"}}})
    def get_finalise_problems(self, minutes: Minutes):
        return self.context["problems"]


class MinutesUpdateSerializer(MinutesSerializer):
    """A partial change of the draft, with the `version` last read (or an If-Match
    header)."""

    version = serializers.IntegerField(
        min_value=1, required=False,
        help_text="The version you last read; or send it as an If-Match header.")

    class Meta(MinutesSerializer.Meta):
        read_only_fields = [name for name in MinutesSerializer.Meta.read_only_fields
                            if name not in {"information", "version"}]


class FinaliseSerializer(serializers.Serializer):
    version = serializers.IntegerField(
        min_value=1, required=False,
        help_text="The version of the draft you last read (or an If-Match header): if it "
                  "changed since, 412 and nothing is finalised.")


# -- reads ---------------------------------------------------------------------------------


def _minutes_status():
    versions = Minutes.objects.filter(meeting=OuterRef("pk"))
    return Case(
        When(Exists(versions.filter(status=MinutesStatus.FINAL)),
             then=Value(MinutesStatus.FINAL.value)),
        When(Exists(versions.filter(status=MinutesStatus.DRAFT)),
             then=Value(MinutesStatus.DRAFT.value)),
        default=Value(None), output_field=CharField())


def _with_parts(meetings):
    return meetings.annotate(minutes_status=_minutes_status()).prefetch_related(
        Prefetch("invitations", queryset=Invitation.objects.filter(withdrawn_at__isnull=True)
                 .select_related("agency").order_by("agency__name", "name", "id")),
        Prefetch("attendance", queryset=Attendance.objects.select_related("agency")),
    )


def filtered_meetings(user, *, case=None, level=None, kind=None, status=None, **days):
    """The meetings of the cases `user` sees, latest first, filtered."""
    meetings = selectors.meetings_for(user)
    if case is not None:
        meetings = meetings.filter(nominal=case)
    if level is not None:
        meetings = meetings.filter(level=str(level))
    if kind:
        meetings = meetings.filter(kind=kind)
    if status:
        meetings = meetings.filter(status=status)
    if days.get("from"):
        meetings = meetings.filter(starts_at__date__gte=days["from"])
    if days.get("to"):
        meetings = meetings.filter(starts_at__date__lte=days["to"])
    return meetings.order_by("-starts_at", "-id")


def _versions(meeting: Meeting) -> dict[str, Minutes]:
    """The meeting's draft and final minutes, by status."""
    versions = Minutes.objects.filter(
        meeting=meeting, status__in=[MinutesStatus.DRAFT, MinutesStatus.FINAL],
    ).select_related("drafted_by", "finalised_by").prefetch_related(
        Prefetch("information", queryset=AgencyInformation.objects.select_related("agency")))
    found = {}
    for minutes in versions:
        minutes.meeting = meeting
        found[minutes.status] = minutes
    return found


# -- the view set --------------------------------------------------------------------------

_NOT_FOUND = OpenApiResponse(description="Not found; or the meeting has no minutes yet.")
_STALE = stale("the minutes")


@list_and_retrieve(
    MeetingSerializer, listed="The meetings of the cases you may see, latest first",
    parameters=[MeetingFilterSerializer], one="One meeting (the read is audited)")
class MeetingViewSet(ScopedViewSet):
    """JMAPP meetings (§10): each discussion of a case, with its invitations, attendance and
    minutes. A meeting of a case you may not see answers 404, as if it did not exist."""

    model = Meeting
    selector = selectors.meetings_for
    case_field = "nominal_id"
    serializer_class = MeetingSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        if self.action in ("list", "retrieve"):
            return _with_parts(super().get_queryset())
        return Meeting.objects.visible_to(self.request.user).select_related("nominal",
                                                                            "chair")

    def get_serializer_class(self):
        if self.action == "minutes":
            if self.request is not None and self.request.method == "PATCH":
                return MinutesUpdateSerializer
            return MinutesSerializer
        if self.action == "finalise_minutes":
            return FinaliseSerializer
        return MeetingSerializer

    def filtered(self):
        filters = MeetingFilterSerializer(data=self.request.query_params,
                                          context=self.get_serializer_context())
        filters.is_valid(raise_exception=True)
        return _with_parts(filtered_meetings(self.request.user, **filters.validated_data))

    # -- the minutes -----------------------------------------------------------------------

    def _minutes_response(self, minutes: Minutes, response_status=status.HTTP_200_OK
                          ) -> Response:
        meeting = minutes.meeting
        if minutes.status == MinutesStatus.DRAFT:
            actions = list(minutes_services.plan_actions(meeting))
            plan = minutes_services.plan_snapshot(actions)
            problems = minutes_services.finalise_problems(minutes, actions)
        else:
            plan, problems = minutes.plan_snapshot, {}
        context = {**self.get_serializer_context(), "plan": plan, "problems": problems}
        return versioned(MinutesSerializer(minutes, context=context).data, response_status)

    @staticmethod
    def _fresh_minutes(meeting: Meeting, minutes: Minutes) -> Minutes:
        return _versions(meeting)[minutes.status]

    @extend_schema(
        methods=["GET"],
        summary="The meeting's current minutes (the read is audited)",
        description="For those who draft them (the Administrators, the Co-ordinator and the "
                    "meeting's Chair), the draft while there is one; for everyone else, and "
                    "once there is no draft, the final minutes.",
        responses={200: MinutesSerializer, 404: _NOT_FOUND},
    )
    @extend_schema(
        methods=["PATCH"],
        summary="Change the draft minutes (the Administrators, the Co-ordinator and the "
                "meeting's Chair)",
        description="A partial change with the version last read. Final minutes are locked: "
                    "the Chair corrects them in a new version, on the minutes page.",
        parameters=[IF_MATCH],
        request=MinutesUpdateSerializer,
        responses={
            200: MinutesSerializer,
            400: OpenApiResponse(description="Field errors; or the minutes are final and "
                                             "locked."),
            403: OpenApiResponse(description="You may not draft these minutes."),
            404: _NOT_FOUND,
            412: _STALE,
            428: NO_VERSION,
        },
    )
    @action(detail=True, methods=["get", "patch"])
    def minutes(self, request, *args, **kwargs):
        meeting = self.get_object()
        may_draft = access.can_draft_minutes(request.user, meeting)
        if request.method == "PATCH" and not may_draft:
            raise exceptions.PermissionDenied(
                "Only the JMAPPA Administrator, the Co-ordinator or the meeting's Chair can "
                "draft its minutes.")
        versions = _versions(meeting)
        draft, final = versions.get(MinutesStatus.DRAFT), versions.get(MinutesStatus.FINAL)
        minutes = draft if draft is not None and may_draft else final
        if minutes is None:
            raise exceptions.NotFound
        if request.method == "PATCH":
            return self._minutes_update(meeting, minutes)
        audit_read(actor=request.user, obj=minutes, case_id=meeting.nominal_id)
        return self._minutes_response(minutes)

    def _minutes_update(self, meeting: Meeting, minutes: Minutes) -> Response:
        request = self.request
        serializer = self.get_serializer(minutes, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        fields = dict(serializer.validated_data)
        version = request_version(request, fields.pop("version", None), required=True)
        information = fields.pop("information", None)
        if information is not None:
            information = [dict(row) for row in information]
        try:
            if fields or information is not None:
                minutes = minutes_services.minutes_update(
                    minutes=minutes, actor=request.user, version=version,
                    information=information, **fields)
            elif minutes.status != MinutesStatus.DRAFT:
                raise DjangoValidationError(minutes_services.LOCKED_MESSAGE)
            elif version != minutes.version:
                raise StaleEdit(minutes, {})
        except StaleEdit as caught:
            return self._stale(caught.current, fields, information)
        except DjangoValidationError as exc:
            raise validation_error(exc) from exc
        return self._minutes_response(self._fresh_minutes(meeting, minutes))

    def _stale(self, current: Minutes, fields: dict, information: list[dict] | None
               ) -> Response:
        shown = MinutesSerializer(context=self.get_serializer_context()).fields
        changed = {name: shown[name].to_representation(getattr(current, name))
                   if getattr(current, name) is not None else None
                   for name, value in fields.items() if getattr(current, name) != value}
        if information is not None:
            stored = list(current.information.select_related("agency"))
            sent = [(row["agency"].pk, row["information"].strip()) for row in information
                    if row["information"].strip()]
            if sent != [(row.agency_id, row.information) for row in stored]:
                changed["information"] = AgencyInformationSerializer(stored, many=True).data
        return stale_response(what="these minutes", version=current.version,
                              changed=changed)

    @extend_schema(
        summary="Finalise the draft minutes (the meeting's Chair)",
        description="The draft becomes the final minutes, locked; what they decided is "
                    "applied to the case (risk of serious harm, level, withholding from the "
                    "offender, the next review). Refused (400) with every reason, by field "
                    "(`plan` for the Risk Management Plan), while anything the Guidance "
                    "requires is missing: at level 2 and 3 a victim-protection and a "
                    "contingency action, and the disclosure decision (§5.2, §7.2, §8.3).",
        parameters=[IF_MATCH],
        request=FinaliseSerializer,
        responses={
            200: MinutesSerializer,
            400: OpenApiResponse(description="What finalising still needs, by field; or the "
                                             "minutes are already final."),
            403: OpenApiResponse(description="Only the meeting's Chair finalises its "
                                             "minutes."),
            404: _NOT_FOUND,
            412: _STALE,
        },
    )
    @action(detail=True, methods=["post"], url_path="minutes/finalise")
    def finalise_minutes(self, request, *args, **kwargs):
        meeting = self.get_object()
        if not access.can_finalise_minutes(request.user, meeting):
            raise exceptions.PermissionDenied("Only the meeting's Chair finalises its "
                                              "minutes.")
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        version = request_version(request, serializer.validated_data.get("version"),
                                  required=False)
        versions = _versions(meeting)
        minutes = versions.get(MinutesStatus.DRAFT) or versions.get(MinutesStatus.FINAL)
        if minutes is None:
            raise exceptions.NotFound
        try:
            minutes = minutes_services.minutes_finalise(minutes=minutes, actor=request.user,
                                                        version=version)
        except StaleEdit as caught:
            return self._stale(caught.current, {}, None)
        except DjangoValidationError as exc:
            raise validation_error(exc) from exc
        return self._minutes_response(self._fresh_minutes(meeting, minutes))
