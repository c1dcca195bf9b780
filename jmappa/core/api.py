from rest_framework.response import Response
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
