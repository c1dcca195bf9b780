"""The case register for partner agencies' systems: /api/v1/offenders/.

A client acts as one user and sees exactly what that user sees in the browser
(jmappa/access.py): a case it may not see answers 404 and is absent from every
list. Reads are audited; writes go through cases/services.py, which audit them.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
)
from rest_framework import exceptions, mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.reverse import reverse

from jmappa import access
from jmappa.accounts.models import User
from jmappa.audit.models import Verb
from jmappa.audit.services import audit_log
from jmappa.core import dates
from jmappa.core.api import (
    FIELD_ERRORS,
    IF_MATCH,
    NO_VERSION,
    NOT_FOUND,
    BlankChoicesMixin,
    PersonSerializer,
    ScopedViewSet,
    list_and_retrieve,
    request_version,
    stale,
    stale_response,
    validation_error,
    versioned,
)
from jmappa.core.validators import TEXT_MAX_LENGTH
from jmappa.core.versioning import StaleEdit

from . import selectors, services
from .filters import NominalFilter
from .models import (
    Address,
    Alias,
    Category,
    ContactEntry,
    ContactKind,
    LevelChange,
    Nominal,
    RiskLevel,
    RoshAssessment,
    Victim,
)

# -- serializers ---------------------------------------------------------------------------


class AliasSerializer(serializers.ModelSerializer):
    class Meta:
        model = Alias
        fields = ["id", "name", "kind"]


class AddressSerializer(serializers.ModelSerializer):
    class Meta:
        model = Address
        fields = ["id", "address", "postcode", "date_from", "date_to", "is_current"]

    def validate(self, attrs):
        start, end = attrs.get("date_from"), attrs.get("date_to")
        if start and end and end < start:
            raise serializers.ValidationError(
                {"date_to": "The address cannot end before the person moved in."})
        return attrs


class LevelChangeSerializer(serializers.ModelSerializer):
    class Meta:
        model = LevelChange
        fields = ["level", "date_from", "date_to", "reason", "decided_by"]
        read_only_fields = fields


_RISK_LEVELS = ", ".join(value for value, _ in RiskLevel.choices)


@extend_schema_field({"type": "string", "readOnly": True,
                      "description": f"One of {_RISK_LEVELS}; empty where not assessed."})
class RoshAssessmentSerializer(BlankChoicesMixin, serializers.ModelSerializer):
    class Meta:
        model = RoshAssessment
        fields = [
            "assessed_on", "assessed_by", "overall",
            *[f"community_{group}" for group in RoshAssessment.GROUPS],
            *[f"custody_{group}" for group in RoshAssessment.GROUPS],
            "who_is_at_risk", "nature_of_risk", "imminence", "increases_risk",
            "reduces_risk",
        ]
        read_only_fields = fields



class NominalSerializer(BlankChoicesMixin, serializers.ModelSerializer):
    """An offender's record: identity, JMAPPA status, management, custody, sharing.

    `level_history` and `rosh_history` are read-only. On create, `aliases` and
    `addresses` may be given, `level` with its `level_reason`, and
    `confirm_not_duplicate` after a 409 that listed possible duplicates.
    """

    reference = serializers.CharField(read_only=True)
    is_child = serializers.BooleanField(
        read_only=True, help_text="Under 18: Children's Services attend its meetings (§11).")
    aliases = AliasSerializer(many=True, required=False)
    addresses = AddressSerializer(many=True, required=False)
    level_history = LevelChangeSerializer(many=True, read_only=True)
    rosh_history = RoshAssessmentSerializer(many=True, read_only=True)
    level_reason = serializers.CharField(
        write_only=True, required=False, allow_blank=True,
        help_text="Why this level (kept in the level history).")
    confirm_not_duplicate = serializers.BooleanField(
        write_only=True, default=False,
        help_text="Create even though possible duplicates were found (answered 409).")

    class Meta:
        model = Nominal
        fields = [
            "id", "reference",
            "given_names", "family_name", "date_of_birth", "is_child", "gender", "ethnicity",
            "diversity_needs",
            "pnc_number", "visor_number", "prison_number",
            "eligibility", "category", "level", "index_offence",
            "cat3_capacity_for_serious_harm", "cat3_needs_multi_agency_management",
            "cat3_disposal",
            "rosh",
            "lead_agency", "case_manager", "visor_manager",
            "custody_status", "sentence", "order_type", "order_start", "order_end",
            "sentence_date", "identified_on", "earliest_release_date", "temporary_release_date",
            "consent_to_share", "consent_date", "consent_scope",
            "withhold_from_offender", "withhold_reason",
            "status", "archived_on", "version",
            "aliases", "addresses", "level_history", "rosh_history",
            "level_reason", "confirm_not_duplicate",
        ]
        # Withholding from the offender is agreed at a meeting (§3.6): read here, set by the
        # meeting's final minutes.
        read_only_fields = ["rosh", "status", "archived_on", "version",
                            "withhold_from_offender", "withhold_reason"]
        extra_kwargs = {
            "lead_agency": {"error_messages": {
                "does_not_exist": "There is no agency with id {pk_value}.",
                "incorrect_type": "Give the agency's id, a number.",
            }},
            "case_manager": {
                "queryset": User.objects.filter(is_active=True),
                "error_messages": {
                    "does_not_exist": "There is no active user with id {pk_value}.",
                    "incorrect_type": "Give the user's id, a number.",
                },
            },
            "visor_manager": {
                "queryset": User.objects.filter(is_active=True),
                "error_messages": {
                    "does_not_exist": "There is no active user with id {pk_value}.",
                    "incorrect_type": "Give the user's id, a number.",
                },
            },
        }

    def validate_date_of_birth(self, value):
        if value > dates.today():
            raise serializers.ValidationError("The date of birth cannot be in the future.")
        return value

    def validate_addresses(self, value):
        if sum(1 for address in value if address.get("is_current")) > 1:
            raise serializers.ValidationError("Only one address can be the current one.")
        return value

    def _value(self, attrs, name, default=None):
        if name in attrs:
            return attrs[name]
        if self.instance is not None:
            return getattr(self.instance, name)
        return default

    def validate(self, attrs):
        """The rules the database also enforces, said in the user's words, on the fields."""
        errors = {}
        category = self._value(attrs, "category", Category.UNKNOWN)
        disposal = self._value(attrs, "cat3_disposal", "")
        if category == Category.THREE:
            if self._value(attrs, "cat3_capacity_for_serious_harm") is not True:
                errors["cat3_capacity_for_serious_harm"] = (
                    "Category 3 needs the Co-ordinator to be satisfied that the offence shows "
                    "the capacity to cause serious harm (§3.9).")
            if self._value(attrs, "cat3_needs_multi_agency_management") is not True:
                errors["cat3_needs_multi_agency_management"] = (
                    "Category 3 needs the Co-ordinator to consider multi-agency management at "
                    "level 2 or 3 necessary (§3.9).")
            if not disposal:
                errors["cat3_disposal"] = (
                    "Category 3 needs a qualifying conviction, caution, or reprimand or "
                    "warning.")
        elif category == Category.PDP and disposal:
            errors["cat3_disposal"] = (
                "A potentially dangerous person has no qualifying conviction: leave the "
                "qualifying disposal empty.")
        start, end = self._value(attrs, "order_start"), self._value(attrs, "order_end")
        if start and end and end < start:
            errors["order_end"] = "The order cannot end before it starts."
        if errors:
            raise serializers.ValidationError(errors)
        return attrs


class NominalUpdateSerializer(NominalSerializer):
    """A partial change of the record, with the `version` last read (or an If-Match header).

    `aliases`, `addresses` and `level` are read-only here: aliases and addresses are
    added one at a time, and a level is changed with its reason, on the case pages.
    """

    aliases = AliasSerializer(many=True, read_only=True)
    addresses = AddressSerializer(many=True, read_only=True)
    version = serializers.IntegerField(
        min_value=1, required=False,
        help_text="The version you last read; or send it as an If-Match header.")
    level_reason = None
    confirm_not_duplicate = None

    class Meta(NominalSerializer.Meta):
        fields = [name for name in NominalSerializer.Meta.fields
                  if name not in {"level_reason", "confirm_not_duplicate"}]
        read_only_fields = ["rosh", "status", "archived_on", "level"]


class DuplicateSerializer(serializers.Serializer):
    reference = serializers.CharField()
    url = serializers.URLField()


class DuplicatesConflictSerializer(serializers.Serializer):
    detail = serializers.CharField()
    duplicates = DuplicateSerializer(many=True, help_text="The possible duplicates you may see.")
    hidden_match = serializers.BooleanField(
        help_text="Whether the register also holds a possible duplicate you may not see: "
                  "it is not named; the JMAPPA Co-ordinator has been told.")


class VictimSerializer(serializers.ModelSerializer):
    class Meta:
        model = Victim
        fields = ["id", "relationship", "age_band", "gender", "contact_restrictions",
                  "victim_liaison_contact", "notes", "recorded_by", "recorded_at"]
        read_only_fields = ["recorded_by", "recorded_at"]


# -- the view set --------------------------------------------------------------------------


def _drf_validation_error(exc: DjangoValidationError) -> serializers.ValidationError:
    return validation_error(exc, {"reason": "level_reason"})


_FILTER_DESCRIPTIONS = {
    "q": "Name or alias (fuzzy), or an exact PNC, ViSOR or prison number",
    "status": "Status: active cases unless given; 'all' for active and archived",
}


def _filter_parameters() -> list[OpenApiParameter]:
    """The list's filters (cases/filters.py), as query parameters."""
    parameters = []
    for name, filter_ in NominalFilter.base_filters.items():
        field = filter_.field
        label = str(field.label or name.replace("_", " ").capitalize())
        kwargs = {"description": _FILTER_DESCRIPTIONS.get(name, label)}
        if isinstance(field, forms.ModelChoiceField):
            kwargs["type"] = OpenApiTypes.INT
            kwargs["description"] += " (agency id)"
        elif isinstance(field, forms.ChoiceField):
            kwargs["type"] = OpenApiTypes.STR
            kwargs["enum"] = [value for value, _ in field.choices if value != ""]
        elif isinstance(field, forms.DateField):
            kwargs["type"] = OpenApiTypes.DATE
        else:
            kwargs["type"] = OpenApiTypes.STR
        parameters.append(OpenApiParameter(name, **kwargs))
    return parameters


_CREATE_ONLY = {
    "aliases": "Aliases cannot be changed here: add an alias on the case page.",
    "addresses": "Addresses cannot be changed here: add an address on the case page.",
    "level": "The level is changed on the case page, with the reason for the change.",
    "level_reason": "The level is changed on the case page, with the reason for the change.",
}
_WITHHOLDING_MESSAGE = ("Withholding from the offender is agreed at a meeting, with reasons "
                        "(§3.6): it is recorded in that meeting's minutes, not here.")
_DECIDED_AT_A_MEETING = dict.fromkeys(["withhold_from_offender", "withhold_reason"],
                                      _WITHHOLDING_MESSAGE)


def _refuse(request, names: dict) -> None:
    refused = {name: [message] for name, message in names.items() if name in request.data}
    if refused:
        raise serializers.ValidationError(refused)


@list_and_retrieve(
    NominalSerializer, listed="The offenders you may see", parameters=_filter_parameters(),
    one="One offender's record (the read is audited)")
class NominalViewSet(ScopedViewSet):
    """The register of offenders managed under JMAPPA (nominals).

    A case you may not see answers 404, as if it did not exist. Changes carry the
    version last read: a stale one answers 412 and nothing is overwritten.
    """

    model = Nominal
    selector = selectors.nominals_for
    filterset_class = NominalFilter
    case_field = "pk"
    versioned = True
    serializer_class = NominalSerializer

    def get_queryset(self):
        nominals = super().get_queryset()
        if self.action in ("retrieve", "list"):
            nominals = self._with_parts(nominals)
        return nominals

    @staticmethod
    def _with_parts(nominals):
        return nominals.prefetch_related("aliases", "addresses", "level_history",
                                         "rosh_history")

    def get_serializer_class(self):
        if self.action == "partial_update":
            return NominalUpdateSerializer
        if self.action == "victims":
            return VictimSerializer
        return NominalSerializer

    def _fresh(self, nominal: Nominal) -> Nominal | None:
        """The record as saved, if this user still sees it (a change of case manager may
        have handed it to someone else)."""
        nominals = self._with_parts(selectors.nominals_for(self.request.user))
        return nominals.filter(pk=nominal.pk).first()

    # -- create ----------------------------------------------------------------------------

    @extend_schema(
        summary="Record a new offender (Co-ordinator and Administrators)",
        request=NominalSerializer,
        responses={
            201: NominalSerializer,
            400: FIELD_ERRORS,
            403: OpenApiResponse(description="You may not create records."),
            409: OpenApiResponse(
                DuplicatesConflictSerializer,
                description="Possible duplicates: check them, then send again with "
                            "`confirm_not_duplicate: true` if this is a different person."),
        },
    )
    def create(self, request, *args, **kwargs):
        if not access.can_create_nominal(request.user):
            raise exceptions.PermissionDenied("Only the Co-ordinator and Administrators "
                                              "record new offenders.")
        _refuse(request, _DECIDED_AT_A_MEETING)
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        confirmed = data.pop("confirm_not_duplicate", False)
        aliases = [dict(alias) for alias in data.pop("aliases", [])]
        addresses = [dict(address) for address in data.pop("addresses", [])]
        if not confirmed:
            conflict = self._duplicates_conflict(data, aliases)
            if conflict is not None:
                return conflict
        try:
            nominal = services.nominal_create(actor=request.user, aliases=aliases,
                                              addresses=addresses, **data)
        except DjangoValidationError as exc:
            raise _drf_validation_error(exc) from exc
        location = reverse("offender-detail", kwargs={"pk": nominal.pk}, request=request)
        fresh = self._fresh(nominal)
        if fresh is None:
            return Response(status=status.HTTP_201_CREATED, headers={"Location": location})
        return versioned(self.get_serializer(fresh).data, status.HTTP_201_CREATED,
                         {"Location": location})

    def _duplicates_conflict(self, data, aliases) -> Response | None:
        duplicates = list(selectors.possible_duplicates(
            given_names=data["given_names"], family_name=data["family_name"],
            date_of_birth=data["date_of_birth"], pnc_number=data.get("pnc_number", ""),
            aliases=[alias["name"] for alias in aliases],
        ).only("pk"))
        if not duplicates:
            return None
        visible = set(selectors.nominals_for(self.request.user)
                      .filter(pk__in=[d.pk for d in duplicates]).values_list("pk", flat=True))
        hidden = [duplicate for duplicate in duplicates if duplicate.pk not in visible]
        born = data["date_of_birth"].isoformat() if data.get("date_of_birth") else "unknown"
        services.duplicate_check_hidden(
            actor=self.request.user, hidden=hidden,
            attempt="adding a new record to the register through the API",
            subject=f"{data['given_names']} {data['family_name']}, born {born}")
        listed = [{"reference": duplicate.reference,
                   "url": reverse("offender-detail", kwargs={"pk": duplicate.pk},
                                  request=self.request)}
                  for duplicate in duplicates if duplicate.pk in visible]
        detail = ("This may be someone already on the register. Check the records listed; "
                  if listed else "This may be someone already on the register. ")
        if hidden:
            detail += ("the register also holds a possible match you may not see: the JMAPPA "
                       "Co-ordinator has been told. " if listed else
                       "It holds a possible match you may not see: the JMAPPA Co-ordinator "
                       "has been told. ")
        detail += "If this is a different person, send again with confirm_not_duplicate: true."
        return Response({"detail": detail, "duplicates": listed, "hidden_match": bool(hidden)},
                        status=status.HTTP_409_CONFLICT)

    # -- change ----------------------------------------------------------------------------

    @extend_schema(
        summary="Change an offender's record (case manager, ViSOR manager, Co-ordinator)",
        parameters=[IF_MATCH],
        request=NominalUpdateSerializer,
        responses={
            200: NominalSerializer,
            204: OpenApiResponse(description="Saved; the change (of case manager, say) "
                                             "means you no longer see this case."),
            400: FIELD_ERRORS,
            404: OpenApiResponse(description="Not found, or you may not change it."),
            412: stale("the record"),
            428: NO_VERSION,
        },
    )
    def partial_update(self, request, *args, **kwargs):
        nominal = self.get_object()
        if not access.can_change_nominal(request.user, nominal):
            raise Http404
        _refuse(request, {**_CREATE_ONLY, **_DECIDED_AT_A_MEETING})
        serializer = self.get_serializer(nominal, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        fields = dict(serializer.validated_data)
        version = self._version(request, fields.pop("version", None))
        try:
            if fields:
                nominal = services.nominal_update(nominal=nominal, actor=request.user,
                                                  version=version, **fields)
            elif version != nominal.version:
                raise StaleEdit(nominal, {})
        except StaleEdit as caught:
            return self._stale(caught.current, fields)
        except DjangoValidationError as exc:
            raise _drf_validation_error(exc) from exc
        fresh = self._fresh(nominal)
        if fresh is None:
            return Response(status=status.HTTP_204_NO_CONTENT)
        return versioned(NominalSerializer(fresh, context=self.get_serializer_context()).data)

    @staticmethod
    def _version(request, in_body: int | None) -> int:
        return request_version(request, in_body, required=True)

    def _stale(self, current: Nominal, fields: dict) -> Response:
        stored = NominalSerializer(current, context=self.get_serializer_context()).data
        changed = {name: stored[name] for name, value in fields.items()
                   if getattr(current, name) != value}
        return stale_response(what="this record", version=current.version,
                              changed=changed)

    # -- victims -----------------------------------------------------------------------------

    @extend_schema(
        methods=["GET"],
        summary="The victims of this case (victim permission only; the read is audited)",
        responses={200: VictimSerializer(many=True), 404: NOT_FOUND},
    )
    @extend_schema(
        methods=["POST"],
        summary="Record a victim (victim permission only)",
        request=VictimSerializer,
        responses={201: VictimSerializer, 400: FIELD_ERRORS, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["get", "post"])
    def victims(self, request, *args, **kwargs):
        nominal = self.get_object()
        if not access.can_view_victims(request.user, nominal):
            raise Http404
        if request.method == "POST":
            serializer = self.get_serializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            try:
                victim = services.victim_record(nominal=nominal, actor=request.user,
                                                **serializer.validated_data)
            except DjangoValidationError as exc:
                raise _drf_validation_error(exc) from exc
            return Response(self.get_serializer(victim).data, status=status.HTTP_201_CREATED)
        victims = self.paginate_queryset(nominal.victims.order_by("id"))
        audit_log(actor=request.user, action=Verb.VIEW, object_type="cases.victim",
                  object_repr=f"Victims of {nominal.reference}", case_id=nominal.pk,
                  detail="Victim records listed: "
                         + (", ".join(str(victim.pk) for victim in victims) or "none"))
        return self.get_paginated_response(self.get_serializer(victims, many=True).data)


@extend_schema_field(OpenApiTypes.INT)
class VisibleCaseField(serializers.PrimaryKeyRelatedField):
    """A case the user may see, by id: any other id reads as no such case."""

    default_error_messages = {
        "does_not_exist": "Choose one of your own cases: none of them has id {pk_value}.",
        "incorrect_type": "Give the case's id, a number.",
    }

    def get_queryset(self):
        return selectors.nominals_for(self.context["request"].user)


# -- the chronology ------------------------------------------------------------------------


class ContactSerializer(serializers.ModelSerializer):
    """One entry of a case's chronology (contact log): when the contact happened, its kind,
    who had it, and a summary."""

    case = VisibleCaseField(source="nominal", help_text="The case (id).")
    case_reference = serializers.CharField(source="nominal.reference", read_only=True)
    who = serializers.CharField(max_length=300, trim_whitespace=True)
    summary = serializers.CharField(trim_whitespace=True, max_length=TEXT_MAX_LENGTH)
    recorded_by = PersonSerializer(read_only=True)

    class Meta:
        model = ContactEntry
        fields = ["id", "case", "case_reference", "occurred_at", "kind", "who", "summary",
                  "recorded_by", "recorded_at"]
        read_only_fields = ["id", "case_reference", "recorded_by", "recorded_at"]


class ContactFilterSerializer(serializers.Serializer):
    case = VisibleCaseField(required=False, help_text="Only the entries of this case (id).")
    kind = serializers.ChoiceField(choices=ContactKind.choices, required=False,
                                   help_text="Only entries of this kind.")


@list_and_retrieve(
    ContactSerializer, listed="The chronology entries of the cases you may see, newest first",
    parameters=[ContactFilterSerializer], one="One chronology entry (the read is audited)")
class ContactViewSet(mixins.CreateModelMixin, ScopedViewSet):
    """The cases' chronology (contact log). Whoever sees a case reads its entries; its team
    and the Co-ordinator add them. An entry of a case you may not see answers 404."""

    model = ContactEntry
    selector = selectors.contacts_for
    case_field = "nominal_id"
    serializer_class = ContactSerializer

    def filtered(self):
        filters = ContactFilterSerializer(data=self.request.query_params,
                                          context=self.get_serializer_context())
        filters.is_valid(raise_exception=True)
        contacts = self.get_queryset()
        if "case" in filters.validated_data:
            contacts = contacts.filter(nominal=filters.validated_data["case"])
        if "kind" in filters.validated_data:
            contacts = contacts.filter(kind=filters.validated_data["kind"])
        return contacts

    @extend_schema(
        summary="Add an entry to a case's chronology (the case team and the Co-ordinator)",
        request=ContactSerializer,
        responses={
            201: ContactSerializer,
            400: FIELD_ERRORS,
            403: OpenApiResponse(description="Only the case team and the Co-ordinator add "
                                             "to the chronology."),
        },
    )
    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        nominal = data.pop("nominal")
        if not access.can_add_contact(request.user, nominal):
            raise exceptions.PermissionDenied(
                "Only the case team and the Co-ordinator add to the chronology.")
        try:
            entry = services.contact_add(nominal=nominal, actor=request.user, **data)
        except DjangoValidationError as exc:
            raise validation_error(exc) from exc
        return Response(self.get_serializer(entry).data, status=status.HTTP_201_CREATED)
