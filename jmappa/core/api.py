import re

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler

from jmappa.audit.services import audit_denied, audit_list, audit_read


def exception_handler(exc, context):
    """DRF's handler, plus: a 404 never says whether the record exists."""
    response = drf_exception_handler(exc, context)
    if response is not None and response.status_code == 404:
        response.data = {"detail": "Not found."}
    return response


class AuditedRetrieveMixin:
    """Retrieve for viewsets whose every object read is audited."""

    def audit_case_id(self, obj):
        return None

    def retrieve(self, request, *args, **kwargs):
        instance = self.get_object()
        audit_read(actor=request.user, obj=instance, case_id=self.audit_case_id(instance))
        return Response(self.get_serializer(instance).data)


def versioned(data, response_status=status.HTTP_200_OK, headers=None) -> Response:
    """A record's representation with its version as the ETag."""
    response = Response(data, status=response_status, headers=headers)
    response["ETag"] = f'"{data["version"]}"'
    return response


class ScopedViewSet(AuditedRetrieveMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """List and audited retrieve of the records a user may see, and nothing else.

    A subclass declares:
    - `model`, and `selector`: given the user, the records they may see (an app's
      selectors, already restricted by jmappa/access.py); a record outside it answers 404;
    - `filterset_class`: the list's filters (the app's filters.py); a value that is not
      valid answers 400 with the errors by filter;
    - `case_field`: the attribute naming a record's case, for the audit trail of a read;
    - `versioned`: whether a record carries a version, answered as its ETag.
    """

    model = None
    selector = None
    filterset_class = None
    case_field: str | None = None
    versioned = False

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if "model" in vars(cls) and cls.model is not None:
            # Only for the schema and the router: the real one is get_queryset(), never
            # unrestricted.
            cls.queryset = cls.model._default_manager.none()
        selector = vars(cls).get("selector")
        if selector is not None and not isinstance(selector, staticmethod):
            cls.selector = staticmethod(selector)

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        return self.selector(self.request.user)

    def audit_case_id(self, obj):
        return getattr(obj, self.case_field) if self.case_field else None

    def filtered(self):
        """The list's records, narrowed by its filters."""
        queryset = self.get_queryset()
        if self.filterset_class is None:
            return queryset
        filters = self.filterset_class(self.request.query_params, queryset=queryset,
                                       request=self.request)
        if not filters.is_valid():
            raise serializers.ValidationError(
                {name: list(errors) for name, errors in filters.errors.items()})
        return filters.qs

    def list_context(self, page) -> dict:
        """What the serializer needs to know of a page of the list (hook)."""
        return {}

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filtered())
        # One event per page read, naming the ids it returns (as a list page's).
        audit_list(actor=request.user, model=self.model, ids=[obj.pk for obj in page],
                   detail=request.get_full_path())
        context = {**self.get_serializer_context(), **self.list_context(page)}
        return self.get_paginated_response(
            self.get_serializer_class()(page, many=True, context=context).data)

    def get_object(self):
        try:
            return super().get_object()
        except Http404:
            # A record asked for by id and answered 404 (outside what the user may see, or
            # not there: the same answer), whatever the method: a denied read.
            request = self.request
            asked = str(self.kwargs.get(self.lookup_url_kwarg or self.lookup_field, ""))
            # The record is the case itself: the case asked for, where it is an id.
            case_id = (int(asked) if self.case_field == "pk" and asked.isdigit()
                       and len(asked) < 18 else None)
            audit_denied(actor=request.user, model=self.model, object_id=asked,
                         case_id=case_id, detail=f"{request.method} {request.get_full_path()}")
            raise

    def retrieve(self, request, *args, **kwargs):
        response = super().retrieve(request, *args, **kwargs)
        if self.versioned:
            response["ETag"] = f'"{response.data["version"]}"'
        return response


# -- the schema's shared answers ------------------------------------------------------------

NOT_FOUND = OpenApiResponse(description="Not found.")
FIELD_ERRORS = OpenApiResponse(description="Field errors.")
BAD_FILTER = OpenApiResponse(description="A filter's value is not valid.")
NO_VERSION = OpenApiResponse(description="No version was sent.")


def stale(what: str, *, outcome: str = "saved") -> OpenApiResponse:
    """412: the answer to a change sent with a version that is no longer the current one."""
    return OpenApiResponse(StaleVersionSerializer,
                           description=f"Someone else changed {what} since your version: "
                                       f"nothing was {outcome}.")


def list_and_retrieve(serializer, *, listed: str, one: str, parameters=None,
                      bad_filter: OpenApiResponse = BAD_FILTER,
                      not_found: OpenApiResponse = NOT_FOUND):
    """The schema of a ScopedViewSet's list (with its filters) and its audited read."""
    return extend_schema_view(
        list=extend_schema(summary=listed, parameters=parameters,
                           responses={200: serializer, 400: bad_filter}),
        retrieve=extend_schema(summary=one, responses={200: serializer, 404: not_found}),
    )


# -- what every API that changes records shares ---------------------------------------------


class PreconditionRequired(exceptions.APIException):
    status_code = 428
    default_detail = (
        "Send the version you last read, as `version` in the body or an If-Match header, "
        "so that nobody's change is overwritten.")
    default_code = "precondition_required"


class StaleVersionSerializer(serializers.Serializer):
    detail = serializers.CharField()
    version = serializers.IntegerField(help_text="The current version.")
    changed = serializers.DictField(
        help_text="Of the fields you sent, those whose stored value differs from yours, "
                  "with the stored value.")


def stale_response(*, what: str, version: int, changed: dict) -> Response:
    """412: someone else saved `what` ("this record", "these minutes") since the client
    read it; nothing was saved. Says the current version and what differs."""
    it, them = ("them", "them") if what.startswith("these") else ("it", "it")
    body = {
        "detail": f"Someone else changed {what} since you read {it}: nothing was saved. "
                  f"Read {them} again, then make your change.",
        "version": version,
        "changed": changed,
    }
    response = Response(body, status=412)
    response["ETag"] = f'"{version}"'
    return response


IF_MATCH = OpenApiParameter(
    "If-Match", OpenApiTypes.STR, location=OpenApiParameter.HEADER, required=False,
    description='The version last read, quoted as in the ETag: "3". Or send `version`.')

_VERSION_TAG = re.compile(r'^(?:W/)?"?(\d+)"?$')


def request_version(request, in_body: int | None, *, required: bool = True) -> int | None:
    """The version the client last read: `version` in the body or an If-Match header.
    Missing, when required: 428; the two disagreeing or malformed: 400."""
    header = request.headers.get("If-Match", "").strip()
    in_header = None
    if header:
        match = _VERSION_TAG.match(header)
        if match is None:
            raise serializers.ValidationError({"version": [
                'If-Match must be the version last read, as in the ETag: "3".']})
        in_header = int(match.group(1))
    if in_body is not None and in_header is not None and in_body != in_header:
        raise serializers.ValidationError({"version": [
            "The version in the body and the If-Match header differ."]})
    version = in_body if in_body is not None else in_header
    if version is None and required:
        raise PreconditionRequired
    return version


def validation_error(exc: DjangoValidationError,
                     renamed: dict[str, str] | None = None) -> serializers.ValidationError:
    """A service's refusal as a 400 with field errors, in the serializer's field names
    (`renamed` maps a service's field name to the serializer's)."""
    renamed = {NON_FIELD_ERRORS: api_settings.NON_FIELD_ERRORS_KEY, **(renamed or {})}
    if hasattr(exc, "error_dict"):
        detail = {renamed.get(field, field): messages
                  for field, messages in exc.message_dict.items()}
    else:
        detail = {api_settings.NON_FIELD_ERRORS_KEY: exc.messages}
    return serializers.ValidationError(detail)


# -- small shapes the apps' APIs share ------------------------------------------------------


class PersonSerializer(serializers.Serializer):
    """A user, by id and name."""

    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(source="__str__", read_only=True)


class AgencyBriefSerializer(serializers.Serializer):
    """An agency, by id and name (its details: /api/v1/agencies/{id}/)."""

    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)


class BlankChoicesMixin:
    """For a ModelSerializer: a read-only choice the model allows blank ("not yet assessed",
    "not yet agreed") keeps its blank choice, so the schema admits the "" it answers."""

    def include_extra_kwargs(self, kwargs, extra_kwargs):
        blank_choice = "choices" in kwargs and kwargs.get("allow_blank", False)
        kwargs = super().include_extra_kwargs(kwargs, extra_kwargs)
        if blank_choice and kwargs.get("read_only"):
            kwargs["allow_blank"] = True
        return kwargs


def document_no_such_page(result, generator, request, public):
    """Schema post-processing (SPECTACULAR_SETTINGS): every paginated list says what a `page`
    beyond the last answers, 404, as DRF's page-number pagination does."""
    for operations in result.get("paths", {}).values():
        get = operations.get("get")
        if get and any(parameter.get("name") == "page" and parameter.get("in") == "query"
                       for parameter in get.get("parameters", [])):
            get["responses"].setdefault("404", {
                "description": "No such page: `page` is beyond the last page, or is not a "
                               "page number."})
    return result
