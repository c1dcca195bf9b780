"""Referrals for partner agencies' systems: /api/v1/referrals/.

A client acts as one user and sees exactly the referrals that user sees in the browser
(jmappa/access.py): the referrer's agency its own, the Co-ordinator every submitted one.
A referral the user may not see answers 404 and is absent from every list. Reads are
audited; every write goes through referrals/services.py, which audits it.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
)
from rest_framework import exceptions, serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.reverse import reverse

from cases import selectors as case_selectors
from cases.models import Cat3Disposal, Category, Level
from jmappa import access
from jmappa.accounts.models import Agency
from jmappa.core.api import (
    FIELD_ERRORS,
    IF_MATCH,
    NO_VERSION,
    NOT_FOUND,
    BlankChoicesMixin,
    ScopedViewSet,
    list_and_retrieve,
    request_version,
    stale,
    stale_response,
    validation_error,
    versioned,
)
from jmappa.core.versioning import StaleEdit

from . import selectors, services
from .models import Referral, ReferralAgency, ReferralStatus, ReferralStep

# -- serializers ---------------------------------------------------------------------------

_AGENCY_ERRORS = {
    "does_not_exist": "There is no agency with id {pk_value}.",
    "incorrect_type": "Give the agency's id, a number.",
}


class ReferralAgencySerializer(serializers.ModelSerializer):
    """An agency to be involved, with the person to invite (Appendix B e). A draft may
    leave the person out; submitting needs a name, and an email or telephone."""

    agency = serializers.PrimaryKeyRelatedField(
        queryset=Agency.objects.filter(is_active=True), error_messages=_AGENCY_ERRORS)

    class Meta:
        model = ReferralAgency
        fields = services.AGENCY_FIELDS
        extra_kwargs = {"contact_name": {"required": False, "allow_blank": True}}


class ReferralStepSerializer(serializers.ModelSerializer):
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    actor_name = serializers.CharField(source="actor", read_only=True)

    class Meta:
        model = ReferralStep
        fields = ["status", "status_display", "actor", "actor_name", "at", "note"]
        read_only_fields = fields


@extend_schema_field(OpenApiTypes.INT)
class VisibleNominalField(serializers.PrimaryKeyRelatedField):
    """A case the user may see, by id: any other id reads as no such case."""

    default_error_messages = {
        "does_not_exist": "Choose one of your own cases: none of them has id {pk_value}.",
        "incorrect_type": "Give the case's id, a number.",
    }

    def get_queryset(self):
        return case_selectors.nominals_for(self.context["request"].user)


_VICTIMS_HIDDEN = (
    "Potential or actual victims. Null when you may not read them: only the referrer, the "
    "Co-ordinator and those who hold the victim permission on the case may. Send an empty "
    "string (or null) for none.")


@extend_schema_field({"type": "string", "nullable": True, "description": _VICTIMS_HIDDEN})
class VictimsField(serializers.CharField):
    """The victims the referral names, for those who may read them; null for anyone else."""

    def __init__(self, **kwargs):
        super().__init__(required=False, allow_blank=True, allow_null=True, **kwargs)

    def run_validation(self, data=serializers.empty):
        return super().run_validation("" if data is None else data)

    def get_attribute(self, instance):
        visible = self.context.get("victims_visible")
        if visible is not None:
            allowed = instance.pk in visible
        else:
            allowed = access.can_view_referral_victims(self.context["request"].user, instance)
        return super().get_attribute(instance) if allowed else None


class ReferralSerializer(BlankChoicesMixin, serializers.ModelSerializer):
    """A referral: the Appendix A form, its status and dates, and its screening.

    `received_on` and `meeting_due_by` are set when it is submitted (§10.4); `is_overdue`
    says whether its meeting is still awaited after that date. `steps` is its history.
    """

    reference = serializers.CharField(read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    nominal = VisibleNominalField(
        required=False, allow_null=True,
        help_text="The offender's record, if the case is already one of yours: its id. "
                  "Otherwise the Co-ordinator links or creates it at screening.")
    victims = VictimsField()
    agencies = ReferralAgencySerializer(
        many=True, required=False,
        help_text="The agencies to be involved, each with the person to invite.")
    is_overdue = serializers.BooleanField(
        read_only=True, help_text="Its meeting is still awaited after the meeting-due date.")
    is_emergency = serializers.BooleanField(
        read_only=True, help_text="An emergency meeting is needed: due on receipt.")
    steps = ReferralStepSerializer(many=True, read_only=True)

    class Meta:
        model = Referral
        fields = [
            "id", "reference", "status", "status_display",
            *services.REFERRAL_FIELDS,
            "agencies", "referred_by", "referring_agency",
            "received_on", "meeting_due_by", "is_overdue", "is_emergency",
            "level_agreed", "category_agreed", "decision_reason", "screened_by",
            "screened_at", "steps", "version",
        ]
        read_only_fields = [
            "status", "referred_by", "referring_agency", "received_on", "meeting_due_by",
            "level_agreed", "category_agreed", "decision_reason", "screened_by",
            "screened_at", "version",
        ]
        extra_kwargs = {
            "lead_agency": {"queryset": Agency.objects.filter(is_active=True),
                            "error_messages": _AGENCY_ERRORS},
        }


class ReferralUpdateSerializer(ReferralSerializer):
    """A partial change of a draft, or of a referral sent back for information, with the
    `version` last read (or an If-Match header). `agencies`, when sent, replaces the list.
    The case (`nominal`) is chosen when the referral is made."""

    nominal = serializers.PrimaryKeyRelatedField(read_only=True)
    version = serializers.IntegerField(
        min_value=1, required=False,
        help_text="The version you last read; or send it as an If-Match header.")

    class Meta(ReferralSerializer.Meta):
        read_only_fields = [name for name in ReferralSerializer.Meta.read_only_fields
                            if name != "version"]


class SubmitSerializer(serializers.Serializer):
    version = serializers.IntegerField(
        min_value=1, required=False,
        help_text="The version you last read (or an If-Match header): a stale one "
                  "answers 412.")
    note = serializers.CharField(required=False, allow_blank=True, default="",
                                 help_text="A note for the Co-ordinator.")


class LinkCaseSerializer(serializers.Serializer):
    category = serializers.ChoiceField(
        choices=Category.choices,
        help_text="The JMAPPA category confirmed: 1, 2, 3 or pdp.")
    nominal = VisibleNominalField(
        required=False, allow_null=True,
        help_text="The record the referral is about, by id. Without it, a record is created, "
                  "unless the register holds possible duplicates (a 400 on `nominal`).")
    create_new = serializers.BooleanField(
        default=False,
        help_text="Create a new record even though possible duplicates were found.")
    note = serializers.CharField(required=False, allow_blank=True, default="",
                                 help_text="The decision's note, told to the referrer.")


class AcceptSerializer(LinkCaseSerializer):
    level = serializers.ChoiceField(choices=Level.choices, help_text="Level 2 or 3.")
    cat3_capacity_for_serious_harm = serializers.BooleanField(
        allow_null=True, default=None,
        help_text="Category 3: the offence shows the capacity to cause serious harm (§3.9).")
    cat3_needs_multi_agency_management = serializers.BooleanField(
        allow_null=True, default=None,
        help_text="Category 3: multi-agency management at level 2 or 3 is necessary (§3.9).")
    cat3_disposal = serializers.ChoiceField(
        choices=Cat3Disposal.choices, allow_blank=True, default="",
        help_text="Category 3: the qualifying disposal.")


class ConfirmLevel1Serializer(LinkCaseSerializer):
    pass


class RejectSerializer(serializers.Serializer):
    reason = serializers.CharField(
        allow_blank=True,
        help_text="Why the case does not meet the threshold. The referring agency is told "
                  "(§3.5).",
        error_messages={"required": "Give the reason: the referring agency is told why the "
                                    "case is not eligible (§3.5)."})


class RequestInfoSerializer(serializers.Serializer):
    note = serializers.CharField(
        required=False, allow_blank=True, default="",
        help_text="Required: the information needed, told to the referrer.")


class ReferralFilterSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=ReferralStatus.choices, required=False,
                                     help_text="Only referrals in this status.")
    open = serializers.BooleanField(
        required=False, default=False,
        help_text="true: only those waiting for the Co-ordinator or the referrer.")


# -- errors --------------------------------------------------------------------------------


def _drf_validation_error(exc: DjangoValidationError) -> serializers.ValidationError:
    return validation_error(exc)


def _version(request, in_body: int | None, *, required: bool) -> int | None:
    return request_version(request, in_body, required=required)


_STALE = stale("the referral")
_GONE = OpenApiResponse(description="Saved; but you no longer see this referral (the case it "
                                    "is linked to is closed to you).")
_SCREENING = {
    200: ReferralSerializer,
    204: _GONE,
    400: OpenApiResponse(description="Field errors; or the referral has already been "
                                     "screened."),
    403: OpenApiResponse(description="Only the JMAPPA Co-ordinator screens referrals."),
    404: NOT_FOUND,
}


# -- the view set --------------------------------------------------------------------------


@list_and_retrieve(
    ReferralSerializer, listed="The referrals you may see: open ones first, by meeting-due date",
    parameters=[ReferralFilterSerializer], one="One referral (the read is audited)")
class ReferralViewSet(ScopedViewSet):
    """Referrals to a level 2 or 3 JMAPP meeting (Appendix A) and their screening (§10.4).

    The referrer and their agency's SPOC see their agency's referrals; the Co-ordinator,
    and those who see the case, see submitted ones. Any other referral answers 404.
    """

    model = Referral
    selector = selectors.referrals_for
    case_field = "nominal_id"
    versioned = True
    serializer_class = ReferralSerializer
    _serializers = {
        "partial_update": ReferralUpdateSerializer,
        "submit": SubmitSerializer,
        "accept": AcceptSerializer,
        "reject": RejectSerializer,
        "request_info": RequestInfoSerializer,
        "confirm_level_1": ConfirmLevel1Serializer,
    }

    def get_queryset(self):
        if self.action == "retrieve" and not getattr(self, "swagger_fake_view", False):
            return selectors.referral_page(self.request.user)
        return super().get_queryset()

    def get_serializer_class(self):
        return self._serializers.get(self.action, ReferralSerializer)

    def _answer(self, referral: Referral, response_status=status.HTTP_200_OK,
                headers=None) -> Response:
        """The referral as saved, with its ETag; 204 if this user no longer sees it."""
        fresh = selectors.referral_page(self.request.user).filter(pk=referral.pk).first()
        if fresh is None:
            return Response(status=status.HTTP_204_NO_CONTENT)
        data = ReferralSerializer(fresh, context=self.get_serializer_context()).data
        return versioned(data, response_status, headers)

    def _referrer_only(self, referral: Referral) -> None:
        if referral.referred_by_id != self.request.user.pk:
            raise exceptions.PermissionDenied("Only the referrer can change or submit this "
                                              "referral.")

    def _screener_only(self) -> None:
        if not access.can_screen_referrals(self.request.user):
            raise exceptions.PermissionDenied("Only the JMAPPA Co-ordinator screens "
                                              "referrals.")

    def _validated(self, request) -> dict:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    # -- the list ----------------------------------------------------------------------------

    def filtered(self):
        filters = ReferralFilterSerializer(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        return selectors.referral_list(
            self.request.user, status=filters.validated_data.get("status"),
            open_only=filters.validated_data["open"],
        ).prefetch_related(
            "agencies", Prefetch("steps", queryset=ReferralStep.objects.select_related("actor")))

    def list_context(self, page) -> dict:
        return {"victims_visible": access.referrals_with_visible_victims(self.request.user,
                                                                           page)}

    # -- the referrer ----------------------------------------------------------------------

    @extend_schema(
        summary="Make a referral, saved as a draft (a practitioner of any agency)",
        request=ReferralSerializer,
        responses={201: ReferralSerializer, 400: FIELD_ERRORS,
                   403: OpenApiResponse(description="Only a practitioner of an agency can "
                                                    "make a referral.")},
    )
    def create(self, request, *args, **kwargs):
        if not access.can_refer(request.user):
            raise exceptions.PermissionDenied("Only a practitioner of an agency can make a "
                                              "referral.")
        fields = self._validated(request)
        agencies = [dict(row) for row in fields.pop("agencies", [])]
        try:
            referral = services.referral_create(actor=request.user, agencies=agencies,
                                                **fields)
        except DjangoValidationError as exc:
            raise _drf_validation_error(exc) from exc
        location = reverse("referral-detail", kwargs={"pk": referral.pk}, request=request)
        return self._answer(referral, status.HTTP_201_CREATED, {"Location": location})

    @extend_schema(
        summary="Change a draft, or a referral sent back for information (the referrer)",
        parameters=[IF_MATCH],
        request=ReferralUpdateSerializer,
        responses={
            200: ReferralSerializer,
            204: _GONE,
            400: OpenApiResponse(description="Field errors; or the referral has been "
                                             "submitted and can no longer be changed."),
            403: OpenApiResponse(description="Only the referrer changes the referral."),
            404: NOT_FOUND,
            412: _STALE,
            428: NO_VERSION,
        },
    )
    def partial_update(self, request, *args, **kwargs):
        referral = self.get_object()
        self._referrer_only(referral)
        if "nominal" in request.data:
            raise serializers.ValidationError({"nominal": [
                "The case is chosen when the referral is made; the Co-ordinator links it "
                "to a record at screening."]})
        serializer = self.get_serializer(referral, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        fields = dict(serializer.validated_data)
        version = _version(request, fields.pop("version", None), required=True)
        agencies = fields.pop("agencies", None)
        if agencies is not None:
            agencies = [dict(row) for row in agencies]
        try:
            if fields or agencies is not None:
                referral = services.referral_update(referral=referral, actor=request.user,
                                                    version=version, agencies=agencies,
                                                    **fields)
            elif version != referral.version:
                raise StaleEdit(referral, {})
        except StaleEdit as caught:
            return self._stale(caught.current, fields, agencies)
        except DjangoValidationError as exc:
            raise _drf_validation_error(exc) from exc
        return self._answer(referral)

    def _stale(self, current: Referral, fields: dict, agencies: list[dict] | None) -> Response:
        stored = ReferralSerializer(current, context=self.get_serializer_context()).data
        changed = {name: stored[name] for name, value in fields.items()
                   if getattr(current, name) != value}
        if agencies is not None:
            rows = [[row.get(name) or "" for name in services.AGENCY_FIELDS]
                    for row in agencies]
            held = [[getattr(row, name) for name in services.AGENCY_FIELDS]
                    for row in current.agencies.select_related("agency")]
            if rows != held:
                changed["agencies"] = stored["agencies"]
        return stale_response(what="this referral", version=current.version,
                              changed=changed)

    @extend_schema(
        summary="Send the referral to the Co-ordinator (the referrer)",
        description="Sets `received_on` (today, or the day it was first received) and "
                    "`meeting_due_by` (§10.4). An incomplete referral answers 400 with what "
                    "is missing, field by field (`agencies` for the agencies to be "
                    "involved).",
        parameters=[IF_MATCH],
        request=SubmitSerializer,
        responses={
            200: ReferralSerializer,
            400: OpenApiResponse(description="What is missing, field by field; or the "
                                             "referral has already been submitted."),
            403: OpenApiResponse(description="Only the referrer submits the referral."),
            404: NOT_FOUND,
            412: _STALE,
        },
    )
    @action(detail=True, methods=["post"])
    def submit(self, request, *args, **kwargs):
        referral = self.get_object()
        self._referrer_only(referral)
        data = self._validated(request)
        version = _version(request, data.get("version"), required=False)
        try:
            referral = services.referral_submit(referral=referral, actor=request.user,
                                                version=version, note=data["note"])
        except StaleEdit as caught:
            return self._stale(caught.current, {}, None)
        except DjangoValidationError as exc:
            raise _drf_validation_error(exc) from exc
        return self._answer(referral)

    # -- the Co-ordinator's screening ------------------------------------------------------

    def _screen(self, request, decide, *, links_record: bool = False) -> Response:
        referral = self.get_object()
        self._screener_only()
        data = self._validated(request)
        if links_record and not data.get("nominal") and not data.get("create_new"):
            # A possible match the screener may not see: audited and told to the
            # Co-ordinator before the decision is refused for it.
            services.register_check(referral=referral, actor=request.user)
        try:
            referral = decide(referral=referral, actor=request.user, **data)
        except DjangoValidationError as exc:
            raise _drf_validation_error(exc) from exc
        return self._answer(referral)

    @extend_schema(
        summary="Accept the referral for a level 2 or 3 meeting (the Co-ordinator)",
        description="Links the referral to the record chosen, or creates one, at the level "
                    "and category agreed; Category 3 needs its two tests and the qualifying "
                    "disposal (§3.9).",
        request=AcceptSerializer, responses=_SCREENING,
    )
    @action(detail=True, methods=["post"])
    def accept(self, request, *args, **kwargs):
        return self._screen(request, services.referral_accept, links_record=True)

    @extend_schema(
        summary="Reject the referral, with the reason told to the referring agency (§3.5)",
        description="A sex offender (Category 1, or a sexual offence) cannot be rejected: "
                    "400 (§9.2).",
        request=RejectSerializer, responses=_SCREENING,
    )
    @action(detail=True, methods=["post"])
    def reject(self, request, *args, **kwargs):
        return self._screen(request, services.referral_reject)

    @extend_schema(
        summary="Send the referral back to the referrer for more information",
        request=RequestInfoSerializer, responses=_SCREENING,
    )
    @action(detail=True, methods=["post"], url_path="request-info")
    def request_info(self, request, *args, **kwargs):
        return self._screen(request, services.referral_request_info)

    @extend_schema(
        summary="Confirm level 1 management: no JMAPP meeting is needed (§10.3)",
        description="Never for a sex offender (Category 1, or a sexual offence): 400 (§9.2).",
        request=ConfirmLevel1Serializer, responses=_SCREENING,
    )
    @action(detail=True, methods=["post"], url_path="confirm-level-1")
    def confirm_level_1(self, request, *args, **kwargs):
        return self._screen(request, services.referral_confirm_level_1, links_record=True)

