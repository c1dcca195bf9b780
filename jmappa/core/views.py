from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.generic import FormView

from . import health
from .forms import add_service_errors


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
