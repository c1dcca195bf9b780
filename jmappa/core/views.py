from django.contrib import messages
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.generic import FormView

from jmappa.audit.services import audit_list

from . import health
from .forms import add_service_errors
from .versioning import StaleEdit


class AuditedListMixin:
    """A page that lists records: reading it writes one event to the audit trail naming the
    ids of the records on the page (the page shown, not the whole list), as an API list
    does (jmappa/core/api.py). `listed(context)` gives the records (by default the page's
    `object_list`, a ListView's current page); `listed_model` says what they are (by
    default the view's model, or its list's)."""

    listed_model = None

    def listed(self, context):
        records = context.get("object_list")
        return () if records is None else records

    def get_listed_model(self, context):
        if self.listed_model is not None:
            return self.listed_model
        model = getattr(self, "model", None) or getattr(context.get("object_list"), "model",
                                                        None)
        if model is None:
            raise ImproperlyConfigured(f"{type(self).__name__} needs a `listed_model`.")
        return model

    def render_to_response(self, context, **response_kwargs):
        # The page as it is shown: its records are the ones audited.
        records = list(self.listed(context))  # the page's own query, run once, kept
        audit_list(actor=self.request.user, model=self.get_listed_model(context),
                   ids=[record.pk for record in records], detail=self.request.get_full_path())
        return super().render_to_response(context, **response_kwargs)


class ServiceFormView(FormView):
    """A form whose save is one service call. `save(form)` calls the service and returns the
    success message (keeping on `self.saved` what it saved, where the next page needs it);
    a refusal (ValidationError) lands beside its field and nothing the user typed is lost;
    on success the message is shown on `get_success_url()`. `blocked()` says why the form
    cannot be used on this record now (shown instead of the form; a post changes nothing).
    The access mixin before it loads the record the form is about."""

    title = ""
    intro = ""
    submit_label = "Save"
    saved = None
    # Said when `save` meets a newer version than the user opened (versioning.StaleEdit) and
    # the view has no finer answer of its own (the other person's values beside the fields).
    stale_message = ("Someone else saved this record while you were changing it: nothing was "
                     "saved. Open it again to see their change.")

    def get_title(self) -> str:
        return self.title

    def blocked(self) -> str:
        return ""

    def post(self, request, *args, **kwargs):
        if self.blocked():
            return self.render_to_response(self.get_context_data())
        return super().post(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(title=self.get_title(), intro=self.intro,
                       submit_label=self.submit_label, blocked=self.blocked())
        return context

    def save(self, form) -> str:
        raise NotImplementedError

    def form_valid(self, form):
        try:
            message = self.save(form)
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        except StaleEdit:
            form.add_error(None, self.stale_message)
            return self.form_invalid(form)
        messages.success(self.request, message)
        return redirect(self.get_success_url())


@never_cache
def healthz(request):
    checks = {
        "database": "ok" if health.database_ok() else "unavailable",
        "redis": "ok" if health.redis_ok() else "unavailable",
    }
    healthy = all(value == "ok" for value in checks.values())
    return JsonResponse(checks, status=200 if healthy else 503)


def error_403(request, exception=None):
    return render(request, "403.html", status=403)


def error_404(request, exception=None):
    return render(request, "404.html", status=404)


def error_500(request):
    # Rendered without context processors: the page must not depend on the
    # database or Redis, which may be what failed.
    return render(request, "500.html", status=500, using=None)
