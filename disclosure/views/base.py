"""What the disclosure app's pages share: the form page about one record."""

from __future__ import annotations

from jmappa.core.views import ServiceFormView

FORM_TEMPLATE = "cases/record_form_page.html"


class RecordFormView(ServiceFormView):
    """A form about one record (loaded by the access mixin before it): back to `back_url()`
    on cancel and on success."""

    template_name = FORM_TEMPLATE

    def back_url(self) -> str:
        raise NotImplementedError

    def get_success_url(self) -> str:
        return self.back_url()

    def get_context_data(self, **kwargs):
        record = self.object
        kwargs.setdefault(self.object_name, record)
        kwargs.setdefault("nominal", record.nominal if hasattr(record, "nominal") else record)
        return super().get_context_data(cancel_url=self.back_url(), **kwargs)
