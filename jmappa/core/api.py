import re

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import exceptions, serializers
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler

from jmappa.audit.services import audit_read


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
