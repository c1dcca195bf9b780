"""What the register's forms share: the case form page (access from jmappa/access.py: a
case the user may not see, or may not change, answers 404; a role they lack on a case they
see, 403), and where to go after a change."""

from __future__ import annotations

from datetime import date

from django.urls import reverse
from django.utils import dateformat, timezone

from jmappa import access
from jmappa.core.views import ServiceFormView

from ..models import Nominal


def _case_or_list(user, nominal: Nominal) -> str:
    """The case page, or the list if this very change took the case out of the user's sight."""
    if access.can_view_nominal(user, nominal):
        return reverse("cases:detail", args=[nominal.pk])
    return reverse("cases:list")


def _short(day: date) -> str:
    return dateformat.format(day, "j F Y")


class CaseFormView(access.NominalAccessMixin, ServiceFormView):
    """A form about one case that the user may change (else 404; a page asking a role on
    the case instead declares `access_check = access.for_any(...)` and answers 403, since
    the user already knows the case exists). Back to the case page (or the list, if this
    very change took the case out of the user's sight)."""

    access_check = access.can_change_nominal
    template_name = "cases/form_page.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(nominal=self.nominal, **kwargs)

    def get_success_url(self) -> str:
        return _case_or_list(self.request.user, self.nominal)


# A form about one record of a case, named by its reference: the apps above cases use it too.
RECORD_FORM_TEMPLATE = "cases/record_form_page.html"


class CaseWorkFormView(access.NominalAccessMixin, ServiceFormView):
    """A form that adds to a case's section (support planning, a services plan...): 404
    outside the case; `access_check(user, nominal)` says who does the work (403: the reader
    knows the case exists). Back to the section named by `section_url` on cancel and on
    success."""

    denied_status = 403
    template_name = RECORD_FORM_TEMPLATE
    section_url = ""  # the url name of the case's section, taking the case's pk

    def get_success_url(self) -> str:
        return reverse(self.section_url, args=[self.nominal.pk])

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            nominal=self.nominal, cancel_url=reverse(self.section_url, args=[self.nominal.pk]),
            **kwargs)


class CaseRecordFormView(access.ObjectAccessMixin, ServiceFormView):
    """A form about one record under a case (loaded by the view's `selector`): as
    CaseWorkFormView, `access_check(user, record)` for the work; its version sent back with
    the form."""

    denied_status = 403
    template_name = RECORD_FORM_TEMPLATE
    section_url = ""

    def nominal_of(self, obj):
        """The record's case (a record under another record overrides it)."""
        return obj.nominal

    def audit_case_id(self, obj):
        return self.nominal_of(obj).pk

    def get_success_url(self) -> str:
        return reverse(self.section_url, args=[self.nominal_of(self.object).pk])

    def get_context_data(self, **kwargs):
        nominal = self.nominal_of(self.object)
        return super().get_context_data(
            nominal=nominal, cancel_url=reverse(self.section_url, args=[nominal.pk]), **kwargs)

    def get_initial(self):
        return {"version": getattr(self.object, "version", None)}


class CaseSectionMixin:
    """A section of the case page (cases.sections): the sub-navigation and which item is
    current. The view sets `section` to its slug and `object` to the nominal."""

    section: str = ""

    def get_context_data(self, **kwargs):
        from ..sections import sections_for

        context = super().get_context_data(**kwargs)
        nominal = context.get("nominal") or self.object
        context["nominal"] = nominal
        # What case_base.html says above every section: the archive's retention date is
        # compared with today; a restriction's reason is the Co-ordinator's to read.
        context.setdefault("today", timezone.localdate())
        context.setdefault("sees_restriction_reason",
                           access.can_manage_case_access(self.request.user))
        context.setdefault("can_review_retention",
                           access.can_review_retention(self.request.user))
        context["case_sections"] = [
            {"label": s.label, "url": reverse(s.url_name, args=[nominal.pk]),
             "current": s.slug == self.section}
            for s in sections_for(self.request.user, nominal)
        ]
        return context
