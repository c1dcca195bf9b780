"""Coordinated services plans for partner agencies' systems (seed 002):
/api/v1/services-plans/, read as the pages are: whoever sees the case reads its plan with its
services and endorsements; any other answers 404; every read is audited."""

from __future__ import annotations

from rest_framework import serializers

from jmappa.core.api import ScopedViewSet, list_and_retrieve

from . import selectors
from .models import Endorsement, PlannedService, ServicesPlan


class PlannedServiceSerializer(serializers.ModelSerializer):
    provider = serializers.CharField(source="provider.name", read_only=True)

    class Meta:
        model = PlannedService
        fields = ["id", "provider", "delivers", "risk_factor", "status"]
        read_only_fields = fields


class EndorsementSerializer(serializers.ModelSerializer):
    meeting = serializers.DateField(source="meeting.date", read_only=True,
                                    help_text="The panel's date.")

    class Meta:
        model = Endorsement
        fields = ["id", "endorsed_on", "meeting", "commitments"]
        read_only_fields = fields


class ServicesPlanSerializer(serializers.ModelSerializer):
    """A coordinated services plan: its services and the panel's endorsements."""

    case = serializers.IntegerField(source="nominal_id", read_only=True)
    case_reference = serializers.CharField(source="nominal.reference", read_only=True)
    services = PlannedServiceSerializer(many=True, read_only=True)
    endorsements = EndorsementSerializer(many=True, read_only=True)

    class Meta:
        model = ServicesPlan
        fields = ["id", "case", "case_reference", "order_kind", "order_start", "ended_on",
                  "services", "endorsements", "version"]
        read_only_fields = fields


@list_and_retrieve(ServicesPlanSerializer,
                   listed="The coordinated services plans you may read",
                   one="One coordinated services plan (the read is audited)")
class ServicesPlanViewSet(ScopedViewSet):
    model = ServicesPlan
    case_field = "nominal_id"
    versioned = True
    serializer_class = ServicesPlanSerializer

    @staticmethod
    def selector(user):
        return selectors.plans_visible(user).prefetch_related(
            "services__provider", "endorsements__meeting")
