"""The case's chronology (contact log): the timeline, newest first, a page at a time, and
the form that adds an entry."""

from __future__ import annotations

from django.urls import reverse
from django.views.generic import ListView

from jmappa import access
from jmappa.core.views import AuditedListMixin

from .. import selectors, services
from ..forms.chronology import ContactForm
from ..models import ContactEntry
from .base import CaseFormView, CaseSectionMixin

CHRONOLOGY_PAGE = 25


class ChronologyView(access.NominalAccessMixin, CaseSectionMixin, AuditedListMixin, ListView):
    """Whoever reads the case reads its chronology; the read of the case and the entries on
    the page are both in the audit trail."""

    url_kwarg = "pk"
    section = "chronology"
    template_name = "cases/chronology.html"
    context_object_name = "entries"
    listed_model = ContactEntry
    paginate_by = CHRONOLOGY_PAGE

    def get_queryset(self):
        return selectors.chronology_of(self.nominal)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            nominal=self.nominal, title="Chronology",
            can_add=access.can_add_contact(self.request.user, self.nominal), **kwargs)


class ContactAddView(CaseSectionMixin, CaseFormView):
    """The case team and the Co-ordinator add to the chronology; anyone else who sees the
    case is told no (403: they know the case exists)."""

    access_check = access.can_add_contact
    denied_status = 403
    section = "chronology"
    template_name = "cases/section_form.html"
    form_class = ContactForm
    title = "Add to the chronology"
    intro = "A contact with the offender, or about them, as it happened."
    submit_label = "Add the entry"

    def get_context_data(self, **kwargs):
        return super().get_context_data(cancel_url=self.get_success_url(), **kwargs)

    def save(self, form):
        entry = services.contact_add(nominal=self.nominal, actor=self.request.user,
                                     **form.service_fields())
        return f"{entry} added to the chronology."

    def get_success_url(self) -> str:
        return reverse("cases:chronology", args=[self.nominal.pk])
