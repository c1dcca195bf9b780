"""`/api/v1/kpis/`: the Board's figures for partner agencies' own reporting, aggregates only
(no row behind a figure, no case), for those who may see the dashboard (jmappa/access.py)."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from jmappa import access
from jmappa.core import dates

from . import selectors
from .indicators import MEASURED
from .periods import Period


class GroupSerializer(serializers.Serializer):
    name = serializers.CharField(help_text="The agency (KPIs 1, 2, 5) or the seat (KPI 4).")
    numerator = serializers.IntegerField()
    denominator = serializers.IntegerField()
    rate = serializers.CharField(allow_null=True, help_text="Percent, one decimal.")
    rag = serializers.ChoiceField(choices=["green", "amber", "red", "none"])


class FigureSerializer(serializers.Serializer):
    kpi = serializers.IntegerField()
    wording = serializers.CharField(help_text="The KPI as §16.2 words it.")
    target = serializers.CharField(help_text="Percent.")
    numerator = serializers.IntegerField()
    denominator = serializers.IntegerField()
    rate = serializers.CharField(allow_null=True, help_text="Percent, one decimal.")
    rag = serializers.ChoiceField(choices=["green", "amber", "red", "none"])
    frozen_version = serializers.IntegerField(
        allow_null=True, help_text="The snapshot's version for a frozen quarter; null when "
                                   "measured now.")
    groups = GroupSerializer(many=True)


class FiguresSerializer(serializers.Serializer):
    period = serializers.CharField()
    provisional = serializers.BooleanField()
    kpis = FigureSerializer(many=True)


def figures(period: Period, today) -> dict:
    found = selectors.results([period], today, with_rows=False)
    kpis = []
    for number in MEASURED:
        result = found[(number, period)]
        kpis.append({
            "kpi": number, "wording": result.kpi.wording, "target": str(result.kpi.target),
            "numerator": result.numerator, "denominator": result.denominator,
            "rate": None if result.rate is None else str(result.rate), "rag": result.rag,
            "frozen_version": result.version,
            "groups": [{"name": g.get("seat") if number == 4 else (g["name"] or ""),
                        "numerator": g["numerator"], "denominator": g["denominator"],
                        "rate": g["rate"], "rag": g["rag"]} for g in result.groups]})
    return {"period": period.code, "provisional": selectors.provisional(period, today),
            "kpis": kpis}


class KpiFiguresView(APIView):
    """The KPIs for a quarter or a year against their targets, by agency (by seat for the
    Board's own attendance): figures only."""

    @extend_schema(
        parameters=[OpenApiParameter("period", str, description="A quarter (2026-Q3) or a "
                                     "year (2026); this quarter if not given.")],
        responses={200: FiguresSerializer,
                   400: OpenApiResponse(description="The period is not valid."),
                   403: OpenApiResponse(description="Not for this user.")})
    def get(self, request):
        if not access.can_view_kpis(request.user):
            raise PermissionDenied("The KPIs are for the Co-ordinator, the Administrators and "
                                   "the SMB members.")
        today = dates.today()
        text = request.query_params.get("period")
        try:
            period = Period.parse(text) if text else Period.quarter_of(today)
        except ValueError as error:
            raise ValidationError({"period": [str(error)]}) from None
        if period.start > today:
            raise ValidationError({"period": ["That period has not started yet."]})
        return Response(FiguresSerializer(figures(period, today)).data)
