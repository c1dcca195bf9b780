"""The Risk Management Plan's actions for partner agencies' systems: /api/v1/actions/.

A client acts as one user and sees exactly the actions that user sees in the browser: those
of the cases they may see (jmappa/access.py). Any other action answers 404 and is absent
from every list. Reads are audited; an owner's progress entry goes through
plans/services.py, which audits it. The plan itself (what is to be done, by whom, by
when) is agreed at meetings and changed on the case's plan page, not here.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch
from django.utils import timezone
from drf_spectacular.utils import (
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
)
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response

from cases.api import VisibleCaseField
from jmappa import access
from jmappa.accounts.models import Agency
from jmappa.core.api import (
    FIELD_ERRORS,
    IF_MATCH,
    NO_VERSION,
    NOT_FOUND,
    AgencyBriefSerializer,
    PersonSerializer,
    ScopedViewSet,
    list_and_retrieve,
    request_version,
    stale,
    validation_error,
    versioned,
)
from jmappa.core.versioning import StaleEdit

from . import selectors, services
from .models import ActionProgress, ActionStatus, PlanAction

# How many of an action's progress entries it answers with, latest first.
RECENT_PROGRESS = 5

BOOLEAN_ERRORS = {"invalid": "Give true or false."}


def today():
    return timezone.localdate()


# -- serializers ---------------------------------------------------------------------------


class ProgressSerializer(serializers.ModelSerializer):
    recorded_by = PersonSerializer(read_only=True)

    class Meta:
        model = ActionProgress
        fields = ["id", "on", "note", "status", "recorded_by", "recorded_at"]
        read_only_fields = fields


class ActionSerializer(serializers.ModelSerializer):
    """One action of a case's Risk Management Plan (§8.3): what will be done, its type,
    the agency (and, where named, the person) who owns it, its completion date and status.

    `overdue`: still open or in progress after its completion date. `progress`: the latest
    entries its owners logged, latest first."""

    case = serializers.IntegerField(source="nominal_id", read_only=True,
                                    help_text="The case (offender's record) id.")
    case_reference = serializers.CharField(source="nominal.reference", read_only=True)
    meeting = serializers.IntegerField(source="meeting_id", read_only=True, allow_null=True,
                                       help_text="The meeting that agreed it, if any.")
    carried_from = serializers.IntegerField(
        source="carried_from_id", read_only=True, allow_null=True,
        help_text="The action that could not be delivered, carried to this meeting as this "
                  "one (§8.3).")
    owner_agency = AgencyBriefSerializer(read_only=True)
    owner = PersonSerializer(read_only=True, allow_null=True,
                             help_text="The named owner, where there is one.")
    overdue = serializers.SerializerMethodField()
    progress = serializers.SerializerMethodField()

    class Meta:
        model = PlanAction
        fields = ["id", "case", "case_reference", "meeting", "carried_from", "description",
                  "action_type", "owner_agency", "owner", "due_date", "plan_reference",
                  "status", "overdue", "completed_on", "version", "progress"]
        read_only_fields = fields

    def get_overdue(self, action: PlanAction) -> bool:
        return action.is_overdue_on(self.context.get("today") or today())

    @extend_schema_field(ProgressSerializer(many=True))
    def get_progress(self, action: PlanAction):
        entries = getattr(action, "recent_progress", None)
        if entries is None:
            entries = action.progress.select_related("recorded_by")[:RECENT_PROGRESS]
        return ProgressSerializer(entries, many=True, context=self.context).data


class ProgressEntrySerializer(serializers.Serializer):
    """A progress entry by the action's owner (or their agency), and the status after it,
    with the `version` last read (or an If-Match header)."""

    status = serializers.ChoiceField(
        choices=ActionStatus.choices, required=False,
        help_text="The action's status after this entry; unchanged if left out. Done records "
                  "the completion date (the entry's date).")
    progress_note = serializers.CharField(
        required=False, allow_blank=True, default="",
        help_text="Required: what was done, or why it could not be.")
    progress_on = serializers.DateField(
        required=False, default=today,
        help_text="The date it was done: today if left out; never in the future.")
    version = serializers.IntegerField(
        min_value=1, required=False,
        help_text="The version you last read; or send it as an If-Match header.")


class ActionFilterSerializer(serializers.Serializer):
    case = VisibleCaseField(required=False, help_text="Only the actions of this case (id).")
    owner_agency = serializers.PrimaryKeyRelatedField(
        queryset=Agency.objects.all(), required=False,
        help_text="Only the actions this agency owns (agency id).",
        error_messages={"does_not_exist": "There is no agency with id {pk_value}.",
                        "incorrect_type": "Give the agency's id, a number."})
    # An id, not a user looked up: whether a user exists is no one's business here, so an id
    # that names no one answers as a colleague who owns nothing does, an empty list.
    owner = serializers.IntegerField(
        required=False, min_value=1,
        help_text="Only the actions this person is named on (user id).",
        error_messages={"invalid": "Give the user's id, a number.",
                        "min_value": "Give the user's id, a number."})
    status = serializers.ChoiceField(choices=ActionStatus.choices, required=False,
                                     help_text="Only actions in this status.")
    overdue = serializers.BooleanField(
        required=False, allow_null=True, default=None, error_messages=BOOLEAN_ERRORS,
        help_text="true: only those still to be done after their completion date; false: "
                  "only the others.")


# -- reads ---------------------------------------------------------------------------------


def _with_parts(actions):
    recent = ActionProgress.objects.select_related("recorded_by").order_by("-on", "-id")
    return actions.select_related("nominal", "owner_agency", "owner").prefetch_related(
        Prefetch("progress", queryset=recent[:RECENT_PROGRESS], to_attr="recent_progress"))


# -- the view set --------------------------------------------------------------------------

# What the plan's editors change on the plan page; the owners log progress here.
_PLAN_ONLY = ["description", "action_type", "owner_agency", "owner", "due_date",
              "plan_reference", "meeting", "carried_from", "case", "completed_on"]
_PLAN_ONLY_MESSAGE = ("The plan is agreed at meetings and changed on the case's plan page: "
                      "here an owner logs progress and the status only.")


@list_and_retrieve(
    ActionSerializer, listed="The actions of the cases you may see, by completion date",
    parameters=[ActionFilterSerializer], one="One action (the read is audited)")
class ActionViewSet(ScopedViewSet):
    """The actions of the Risk Management Plans (§8.3), for their owners to log progress.

    An action of a case you may not see answers 404, as if it did not exist. A progress
    entry carries the version last read: a stale one answers 412 and nothing is recorded.
    """

    model = PlanAction
    case_field = "nominal_id"
    versioned = True
    serializer_class = ActionSerializer

    @staticmethod
    def selector(user):
        return _with_parts(selectors.actions_for(user))

    def get_serializer_class(self):
        if self.action == "partial_update":
            return ProgressEntrySerializer
        return ActionSerializer

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "today": today()}

    def filtered(self):
        filters = ActionFilterSerializer(data=self.request.query_params,
                                         context=self.get_serializer_context())
        filters.is_valid(raise_exception=True)
        return _with_parts(selectors.filtered_actions(self.request.user,
                                                      **filters.validated_data))

    # -- progress --------------------------------------------------------------------------

    @extend_schema(
        summary="Log progress on an action, and its status after it (the owner or the "
                "owning agency)",
        description="A progress entry (`progress_note`, `progress_on`) and the status after "
                    "it, with the version last read. Only the status changes here: what is "
                    "to be done, by whom and by when is agreed at meetings.",
        parameters=[IF_MATCH],
        request=ProgressEntrySerializer,
        responses={
            200: ActionSerializer,
            400: FIELD_ERRORS,
            403: OpenApiResponse(description="Only the action's owner, the owning agency, the "
                                             "Co-ordinator and Administrators log progress."),
            404: NOT_FOUND,
            412: stale("the action", outcome="recorded"),
            428: NO_VERSION,
        },
    )
    def partial_update(self, request, *args, **kwargs):
        action = self.get_object()
        if not access.can_log_progress(request.user, action):
            raise exceptions.PermissionDenied(
                "Only the action's owner or someone of the owning agency logs its progress.")
        if isinstance(request.data, Mapping):
            refused = {name: [_PLAN_ONLY_MESSAGE] for name in _PLAN_ONLY if name in request.data}
            if refused:
                raise serializers.ValidationError(refused)
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        version = request_version(request, data.pop("version", None), required=True)
        new_status = data.get("status", action.status)
        try:
            services.action_progress_log(
                action=action, actor=request.user, on=data["progress_on"],
                note=data["progress_note"], status=new_status, version=version)
        except StaleEdit as caught:
            return self._stale(caught, data)
        except DjangoValidationError as exc:
            raise validation_error(exc, {"on": "progress_on", "note": "progress_note"}) \
                from exc
        fresh = self.get_queryset().get(pk=action.pk)
        return versioned(ActionSerializer(fresh, context=self.get_serializer_context()).data)

    def _stale(self, caught: StaleEdit, sent: dict) -> Response:
        current = caught.current
        changed = {}
        if "status" in sent and sent["status"] != current.status:
            changed["status"] = current.status
        latest = caught.changed.get("progress")
        if latest is not None:
            changed["progress"] = ProgressSerializer(latest).data
        body = {
            "detail": "Someone else changed this action since you read it: nothing was "
                      "recorded. Read it again, then log your progress.",
            "version": current.version,
            "changed": changed,
        }
        response = Response(body, status=status.HTTP_412_PRECONDITION_FAILED)
        response["ETag"] = f'"{current.version}"'
        return response
