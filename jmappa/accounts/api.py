from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers
from rest_framework.decorators import api_view
from rest_framework.response import Response

from jmappa.core.api import NOT_FOUND, ScopedViewSet

from .models import Agency, User
from .selectors import agencies_for


class AgencySerializer(serializers.ModelSerializer):
    spoc = serializers.SerializerMethodField()

    class Meta:
        model = Agency
        fields = ["id", "name", "kind", "duty_to_cooperate", "address", "phone",
                  "secure_email", "spoc"]

    def get_spoc(self, agency) -> dict | None:
        if agency.spoc is None:
            return None
        return {"id": agency.spoc_id, "name": str(agency.spoc), "email": agency.spoc.email}


class MeSerializer(serializers.ModelSerializer):
    agency = serializers.StringRelatedField()

    class Meta:
        model = User
        fields = ["id", "username", "first_name", "last_name", "email", "agency",
                  "job_title", "grade", "roles"]


@extend_schema_view(retrieve=extend_schema(responses={200: AgencySerializer, 404: NOT_FOUND}))
class AgencyViewSet(ScopedViewSet):
    """The agencies party to the arrangements, with their SPOC."""

    model = Agency
    selector = agencies_for
    serializer_class = AgencySerializer


@extend_schema(responses=MeSerializer)
@api_view(["GET"])
def me(request):
    """The user this client acts as: what it sees is what this user sees."""
    return Response(MeSerializer(request.user).data)
