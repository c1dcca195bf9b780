"""Intervention packages for partner agencies' systems (seed 004):

- /api/v1/interventions/: the catalogue, read by whoever works on cases, kept (POST, PATCH)
  by the Co-ordinator and the Administrators;
- /api/v1/intervention-packages/: a person's package with its interventions and review
  points; POST opens one with its engagement record; POST …/{id}/log/ adds to its log;
- /api/v1/package-interventions/: one intervention of a package; POST adds an option, PATCH
  changes it (with the version and why), POST …/refer/, …/answer/, …/agreement/ and
  …/progress/ take it through its steps;
- /api/v1/review-points/: POST agrees one, POST …/{id}/held/ records it.

A client acts as one user and sees what that user sees in the browser: a package of a case
they may not see answers 404. Every write goes through the same services as the pages (the
same rules, audit and revisions); a refusal answers 400 with the errors by field, a stale
version 412.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import exceptions, serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from cases.api import VisibleCaseField
from coordination.models import Provider
from jmappa import access
from jmappa.accounts.models import User
from jmappa.core.api import (
    FIELD_ERRORS,
    IF_MATCH,
    NO_VERSION,
    NOT_FOUND,
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

from . import selectors, services
from .models import (
    DELIVERY_CHOICES,
    EntryKind,
    Intervention,
    InterventionPackage,
    PackageEntry,
    PackageIntervention,
    ReviewPoint,
    Stage,
)

DENIED = OpenApiResponse(description="Your role does not keep this.")


@extend_schema_field(OpenApiTypes.INT)
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


def _plain(value):
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, date):
        return value.isoformat()
    return value


def _write(call, renamed: dict | None = None):
    """Run a service: its refusal as 400 by field, a role it refuses as 403, a stale version
    as 412 (returned as a Response)."""
    try:
        return call()
    except StaleEdit as caught:
        return stale_response(what="this record", version=caught.current.version,
                              changed={k: _plain(v) for k, v in caught.changed.items()})
    except DjangoPermissionDenied as exc:
        raise exceptions.PermissionDenied(str(exc)) from exc
    except DjangoValidationError as exc:
        raise validation_error(exc, renamed) from exc


VERSION = serializers.IntegerField(
    min_value=1, required=False,
    help_text="The version you last read; or send it as an If-Match header.")


# -- the catalogue -----------------------------------------------------------------------------


class InterventionSerializer(serializers.ModelSerializer):
    """An intervention of the catalogue, its provider internal (a member agency) or external
    (a funded service), and the places taken in packages in force."""

    provider_name = serializers.CharField(source="provider.name", read_only=True)
    internal = serializers.BooleanField(read_only=True)
    places_taken = serializers.IntegerField(source="taken", read_only=True)

    class Meta:
        model = Intervention
        fields = ["id", "name", "provider", "provider_name", "internal", "programme_type",
                  "description", "eligibility", "capacity", "places_taken", "is_active",
                  "version"]
        read_only_fields = fields


class InterventionWriteSerializer(serializers.ModelSerializer):
    provider = serializers.PrimaryKeyRelatedField(
        queryset=Provider.objects.filter(is_active=True),
        help_text="The provider of the provider catalogue (id).",
        error_messages={"does_not_exist": "There is no provider with id {pk_value} in the "
                                          "catalogue.",
                        "incorrect_type": "Give the provider's id, a number."})
    version = VERSION

    class Meta:
        model = Intervention
        fields = ["name", "provider", "programme_type", "description", "eligibility",
                  "capacity", "is_active", "version"]
        extra_kwargs = {"description": {"required": False},
                        "eligibility": {"required": False}}


@list_and_retrieve(InterventionSerializer, listed="The catalogue of interventions",
                   one="One intervention of the catalogue")
class InterventionViewSet(ScopedViewSet):
    model = Intervention
    versioned = True
    serializer_class = InterventionSerializer

    @staticmethod
    def selector(user):
        if not access.can_view_intervention_catalogue(user):
            return Intervention.objects.none()
        return selectors.catalogue()

    def get_serializer_class(self):
        if self.action in ("create", "partial_update"):
            return InterventionWriteSerializer
        return InterventionSerializer

    def _answer(self, intervention, code=status.HTTP_200_OK):
        fresh = selectors.catalogue().get(pk=intervention.pk)
        return versioned(InterventionSerializer(fresh).data, code)

    @extend_schema(summary="Add an intervention to the catalogue (Co-ordinator and "
                           "Administrators)",
                   request=InterventionWriteSerializer,
                   responses={201: InterventionSerializer, 400: FIELD_ERRORS, 403: DENIED})
    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        data.pop("version", None)
        saved = _write(lambda: services.intervention_save(actor=request.user, **data))
        return self._answer(saved, status.HTTP_201_CREATED)

    @extend_schema(summary="Change an intervention of the catalogue (Co-ordinator and "
                           "Administrators)",
                   parameters=[IF_MATCH], request=InterventionWriteSerializer,
                   responses={200: InterventionSerializer, 400: FIELD_ERRORS, 403: DENIED,
                              404: NOT_FOUND, 412: stale("the intervention"),
                              428: NO_VERSION})
    def partial_update(self, request, *args, **kwargs):
        intervention = self.get_object()
        serializer = self.get_serializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        version = request_version(request, data.pop("version", None))
        saved = _write(lambda: services.intervention_save(
            actor=request.user, intervention=intervention, version=version, **data))
        return saved if isinstance(saved, Response) else self._answer(saved)


# -- packages ----------------------------------------------------------------------------------


class ReviewPointSerializer(serializers.ModelSerializer):
    """A review point of a package, who makes it happen, and the review once held."""

    case = serializers.IntegerField(source="nominal_id", read_only=True)
    package = serializers.IntegerField(source="package_id", read_only=True)
    responsible = PersonSerializer(read_only=True)

    class Meta:
        model = ReviewPoint
        fields = ["id", "case", "package", "review_by", "purpose", "agreed_with", "responsible",
                  "held_on", "outcome", "version"]
        read_only_fields = fields


class PackageInterventionSerializer(serializers.ModelSerializer):
    """One intervention of a package: the factors, the option weighed, its place in the
    sequence, the referral, the provider's answer, the person's agreement, its delivery."""

    case = serializers.IntegerField(source="package.nominal_id", read_only=True)
    package = serializers.IntegerField(source="package_id", read_only=True)
    intervention_name = serializers.CharField(source="intervention.name", read_only=True)
    provider = serializers.CharField(source="intervention.provider.name", read_only=True)
    internal = serializers.BooleanField(source="intervention.internal", read_only=True)
    after = serializers.IntegerField(source="after_id", read_only=True, allow_null=True,
                                     help_text="The intervention it starts after.")

    class Meta:
        model = PackageIntervention
        fields = ["id", "case", "package", "intervention", "intervention_name", "provider",
                  "internal", "risk_factors", "protective_factors", "advantages",
                  "disadvantages", "stage", "step", "after", "referred_on",
                  "referral_discussed", "information_given", "answered_on", "willing", "able",
                  "resources", "contribution", "person_agreed_on", "started_on", "finished_on",
                  "version"]
        read_only_fields = fields


class PackageSerializer(serializers.ModelSerializer):
    """A person's intervention package: the engagement record, its interventions in sequence
    and its review points; `revision` counts its changes."""

    case = serializers.IntegerField(source="nominal_id", read_only=True)
    case_reference = serializers.CharField(source="nominal.reference", read_only=True)
    interventions = PackageInterventionSerializer(many=True, read_only=True)
    review_points = ReviewPointSerializer(many=True, read_only=True)

    class Meta:
        model = InterventionPackage
        fields = ["id", "case", "case_reference", "engaged_on", "rights_explained",
                  "court_required", "confidentiality_explained", "needs", "preferences",
                  "communication", "wants_involved", "status", "closed_on", "revision",
                  "interventions", "review_points", "version"]
        read_only_fields = fields


class PackageCreateSerializer(serializers.ModelSerializer):
    """The engagement record that opens a package."""

    case = VisibleCaseField(help_text="The case (offender's record) id.")

    class Meta:
        model = InterventionPackage
        fields = ["case", "engaged_on", "rights_explained", "court_required",
                  "confidentiality_explained", "needs", "preferences", "communication",
                  "wants_involved"]
        extra_kwargs = {"court_required": {"required": False},
                        "needs": {"required": False}}


class EntrySerializer(serializers.ModelSerializer):
    """An entry of a package's log."""

    intervention = serializers.IntegerField(source="intervention_id", read_only=True,
                                            allow_null=True)

    class Meta:
        model = PackageEntry
        fields = ["id", "intervention", "kind", "on", "note", "action_taken", "stage_after"]
        read_only_fields = fields


class EntryCreateSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=EntryKind.choices)
    on = serializers.DateField()
    note = serializers.CharField(allow_blank=True, default="")
    action_taken = serializers.CharField(required=False, allow_blank=True, default="",
                                         help_text="Required for non-compliance and for a "
                                                   "change in needs or circumstances.")
    stage_after = serializers.ChoiceField(
        choices=DELIVERY_CHOICES, required=False,
        allow_blank=True, default="",
        help_text="Where the intervention goes with this entry: under way, completed or "
                  "ended early.")


class PackageEntryCreateSerializer(EntryCreateSerializer):
    intervention = _Related(selectors.items_visible, required=False, allow_null=True,
                            default=None,
                            help_text="The package's intervention it is about; none for "
                                      "the package as a whole.")


def _packages(user):
    return selectors.packages_visible(user).prefetch_related(
        "interventions__intervention__provider", "review_points__responsible")


@list_and_retrieve(PackageSerializer, listed="The intervention packages you may read",
                   one="One intervention package (the read is audited)")
class PackageViewSet(ScopedViewSet):
    model = InterventionPackage
    case_field = "nominal_id"
    versioned = True
    serializer_class = PackageSerializer
    selector = _packages

    def get_serializer_class(self):
        if self.action == "create":
            return PackageCreateSerializer
        if self.action == "log":
            return PackageEntryCreateSerializer
        return PackageSerializer

    @extend_schema(summary="Open a person's intervention package with its engagement record "
                           "(those who keep the case's plan)",
                   request=PackageCreateSerializer,
                   responses={201: PackageSerializer, 400: FIELD_ERRORS, 403: DENIED})
    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        nominal = data.pop("case")
        package = _write(lambda: services.package_start(nominal=nominal, actor=request.user,
                                                        **data))
        fresh = self.get_queryset().get(pk=package.pk)
        return versioned(PackageSerializer(fresh).data, status.HTTP_201_CREATED)

    @extend_schema(summary="Add to a package's log: progress, non-compliance and the action "
                           "taken, feedback, a change in needs",
                   request=PackageEntryCreateSerializer,
                   responses={201: EntrySerializer, 400: FIELD_ERRORS, 403: DENIED,
                              404: NOT_FOUND})
    @action(detail=True, methods=["post"])
    def log(self, request, *args, **kwargs):
        package = self.get_object()
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        entry = _write(lambda: services.entry_record(package=package, actor=request.user,
                                                     **serializer.validated_data))
        return Response(EntrySerializer(entry).data, status=status.HTTP_201_CREATED)


# -- a package's interventions -------------------------------------------------------------------


class ItemCreateSerializer(serializers.Serializer):
    package = _Related(selectors.packages_visible, help_text="The package (id).")
    intervention = serializers.PrimaryKeyRelatedField(
        queryset=Intervention.objects.filter(is_active=True),
        help_text="The intervention of the catalogue (id).",
        error_messages={"does_not_exist": "There is no intervention with id {pk_value} in "
                                          "the catalogue.",
                        "incorrect_type": "Give the intervention's id, a number."})
    risk_factors = serializers.CharField(required=False, allow_blank=True, default="")
    protective_factors = serializers.CharField(required=False, allow_blank=True, default="")
    advantages = serializers.CharField(required=False, allow_blank=True, default="")
    disadvantages = serializers.CharField(required=False, allow_blank=True, default="")
    step = serializers.IntegerField(min_value=1, max_value=999, required=False, default=1)
    after = _Related(selectors.items_visible, required=False, allow_null=True, default=None,
                     help_text="The package's intervention it starts after (id).")
    why = serializers.CharField(required=False, allow_blank=True, default="")


class ItemUpdateSerializer(serializers.Serializer):
    risk_factors = serializers.CharField(required=False, allow_blank=True)
    protective_factors = serializers.CharField(required=False, allow_blank=True)
    advantages = serializers.CharField(required=False, allow_blank=True)
    disadvantages = serializers.CharField(required=False, allow_blank=True)
    step = serializers.IntegerField(min_value=1, max_value=999, required=False)
    after = _Related(selectors.items_visible, required=False, allow_null=True)
    decision = serializers.ChoiceField(
        choices=[(Stage.OPTION, "Still being considered"), (Stage.CHOSEN, "Chosen"),
                 (Stage.NOT_CHOSEN, "Not chosen")], required=False,
        help_text="The option chosen with the person, not chosen, or still being considered.")
    why = serializers.CharField(allow_blank=True, default="",
                                help_text="Required: why the package changes.")
    version = VERSION


class ProviderReferralSerializer(serializers.Serializer):
    referred_on = serializers.DateField()
    referral_discussed = serializers.CharField(allow_blank=True, default="")
    information_given = serializers.CharField(allow_blank=True, default="")
    version = VERSION


class AnswerSerializer(serializers.Serializer):
    answered_on = serializers.DateField()
    willing = serializers.BooleanField(allow_null=True, default=None)
    able = serializers.BooleanField(allow_null=True, default=None)
    resources = serializers.CharField(required=False, allow_blank=True, default="")
    contribution = serializers.CharField(required=False, allow_blank=True, default="")
    version = VERSION


class AgreementSerializer(serializers.Serializer):
    agrees = serializers.BooleanField(allow_null=True, default=None)
    on = serializers.DateField()
    version = VERSION


STEP_RESPONSES = {200: PackageInterventionSerializer, 400: FIELD_ERRORS, 403: DENIED,
                  404: NOT_FOUND, 412: stale("the intervention", outcome="recorded"),
                  428: NO_VERSION}


@list_and_retrieve(PackageInterventionSerializer,
                   listed="The interventions of the packages you may read",
                   one="One intervention of a package (the read is audited)")
class PackageInterventionViewSet(ScopedViewSet):
    model = PackageIntervention
    case_field = "nominal_id"
    versioned = True
    serializer_class = PackageInterventionSerializer
    selector = selectors.items_visible

    def get_serializer_class(self):
        return {"create": ItemCreateSerializer, "partial_update": ItemUpdateSerializer,
                "refer": ProviderReferralSerializer, "answer": AnswerSerializer,
                "agreement": AgreementSerializer,
                "progress": EntryCreateSerializer}.get(self.action,
                                                       PackageInterventionSerializer)

    def _answer(self, item, code=status.HTTP_200_OK):
        if isinstance(item, Response):
            return item
        fresh = self.get_queryset().get(pk=item.pk)
        return versioned(PackageInterventionSerializer(fresh).data, code)

    def _step(self, request, service):
        item = self.get_object()
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        version = request_version(request, data.pop("version", None))
        return self._answer(_write(lambda: service(item=item, actor=request.user,
                                                   version=version, **data)))

    @extend_schema(summary="Add an intervention of the catalogue to a package, as an option "
                           "to weigh", request=ItemCreateSerializer,
                   responses={201: PackageInterventionSerializer, 400: FIELD_ERRORS,
                              403: DENIED})
    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        item = _write(lambda: services.option_add(actor=request.user, **data))
        return self._answer(item, status.HTTP_201_CREATED)

    @extend_schema(summary="Change an intervention of a package: its factors, the option's "
                           "weighing and choice, its place in the sequence (with why)",
                   parameters=[IF_MATCH], request=ItemUpdateSerializer,
                   responses=STEP_RESPONSES)
    def partial_update(self, request, *args, **kwargs):
        return self._step(request, services.option_update)

    @extend_schema(summary="Record the referral to the provider", parameters=[IF_MATCH],
                   request=ProviderReferralSerializer, responses=STEP_RESPONSES)
    @action(detail=True, methods=["post"])
    def refer(self, request, *args, **kwargs):
        return self._step(request, services.referral_record)

    @extend_schema(summary="Record the provider's answer: willing, able, the resources it "
                           "needs and the contribution agreed", parameters=[IF_MATCH],
                   request=AnswerSerializer, responses=STEP_RESPONSES)
    @action(detail=True, methods=["post"])
    def answer(self, request, *args, **kwargs):
        return self._step(request, services.provider_answer)

    @extend_schema(summary="Record whether the person agrees to the provider's involvement",
                   parameters=[IF_MATCH], request=AgreementSerializer,
                   responses=STEP_RESPONSES)
    @action(detail=True, methods=["post"])
    def agreement(self, request, *args, **kwargs):
        return self._step(request, services.person_agreement)

    @extend_schema(summary="Log progress, non-compliance or feedback about the intervention, "
                           "and where it starts, is completed or ends early",
                   request=EntryCreateSerializer,
                   responses={201: EntrySerializer, 400: FIELD_ERRORS, 403: DENIED,
                              404: NOT_FOUND})
    @action(detail=True, methods=["post"])
    def progress(self, request, *args, **kwargs):
        item = self.get_object()
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        entry = _write(lambda: services.entry_record(
            package=item.package, actor=request.user, intervention=item,
            **serializer.validated_data))
        return Response(EntrySerializer(entry).data, status=status.HTTP_201_CREATED)


# -- review points -------------------------------------------------------------------------------


class ReviewPointCreateSerializer(serializers.Serializer):
    package = _Related(selectors.packages_visible, help_text="The package (id).")
    review_by = serializers.DateField()
    purpose = serializers.CharField(allow_blank=True, default="")
    agreed_with = serializers.CharField(required=False, allow_blank=True, default="")
    responsible = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True),
        help_text="Who makes it happen (user id); someone who sees the case.",
        error_messages={"does_not_exist": "There is no one with id {pk_value} to name.",
                        "incorrect_type": "Give the user's id, a number."})


class HeldSerializer(serializers.Serializer):
    held_on = serializers.DateField()
    outcome = serializers.CharField(allow_blank=True, default="")
    version = VERSION


@list_and_retrieve(ReviewPointSerializer, listed="The review points of the packages you may "
                                                 "read",
                   one="One review point (the read is audited)")
class ReviewPointViewSet(ScopedViewSet):
    model = ReviewPoint
    case_field = "nominal_id"
    versioned = True
    serializer_class = ReviewPointSerializer
    selector = selectors.review_points_visible

    def get_serializer_class(self):
        return {"create": ReviewPointCreateSerializer, "held": HeldSerializer}.get(
            self.action, ReviewPointSerializer)

    def _answer(self, point, code=status.HTTP_200_OK):
        if isinstance(point, Response):
            return point
        fresh = self.get_queryset().get(pk=point.pk)
        return versioned(ReviewPointSerializer(fresh).data, code)

    @extend_schema(summary="Agree a review point of a package, and who makes it happen",
                   request=ReviewPointCreateSerializer,
                   responses={201: ReviewPointSerializer, 400: FIELD_ERRORS, 403: DENIED})
    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        point = _write(lambda: services.review_point_add(actor=request.user,
                                                         **serializer.validated_data))
        return self._answer(point, status.HTTP_201_CREATED)

    @extend_schema(summary="Record the review held (whoever it names, or those who keep the "
                           "package)", parameters=[IF_MATCH], request=HeldSerializer,
                   responses={**STEP_RESPONSES, 200: ReviewPointSerializer,
                              412: stale("the review point", outcome="recorded")})
    @action(detail=True, methods=["post"])
    def held(self, request, *args, **kwargs):
        point = self.get_object()
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        version = request_version(request, data.pop("version", None))
        return self._answer(_write(lambda: services.review_point_held(
            point=point, actor=request.user, version=version, **data)))
