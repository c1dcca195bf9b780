from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.generic import DetailView, ListView, View

from jmappa import access
from jmappa.core.views import AuditedListMixin, ServiceFormView

from . import services
from .forms import AgencyForm, ApiTokenForm, PersonCreateForm, PersonForm
from .models import Agency, Role
from .selectors import (
    agencies_for,
    agency_members,
    api_tokens_for,
    lockouts_for,
    people_for,
    people_list,
)


class AgencyListView(access.RoleRequiredMixin, AuditedListMixin, ListView):
    access_check = access.can_view_agency_directory
    template_name = "accounts/agency_list.html"
    context_object_name = "agencies"
    paginate_by = 50

    def get_queryset(self):
        return agencies_for(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_manage"] = access.can_manage_people(self.request.user)
        return context


class AgencyDetailView(access.ObjectAccessMixin, DetailView):
    """Any signed-in user (access.can_view_agency_directory, which agencies_for asks)."""

    selector = agencies_for
    object_name = "agency"
    template_name = "accounts/agency_detail.html"
    context_object_name = "agency"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["members"] = agency_members(self.object)
        context["can_manage"] = access.can_manage_people(self.request.user)
        return context


class AgencyCreateView(access.RoleRequiredMixin, ServiceFormView):
    access_check = access.can_manage_people
    template_name = "accounts/form_page.html"
    form_class = AgencyForm
    title = "Add an agency"
    submit_label = "Add the agency"

    def get_context_data(self, **kwargs):
        return super().get_context_data(back=reverse("accounts:agency_list"), **kwargs)

    def save(self, form):
        self.saved = services.agency_create(actor=self.request.user, data=form.cleaned_data)
        return f"{self.saved} is added. Name its SPOC once its people are added."

    def get_success_url(self):
        return reverse("accounts:agency_detail", args=[self.saved.pk])


class AgencyChangeView(access.ObjectAccessMixin, ServiceFormView):
    selector = agencies_for
    object_name = "agency"
    access_check = access.for_any(access.can_manage_people)
    denied_status = 403
    template_name = "accounts/form_page.html"
    form_class = AgencyForm
    submit_label = "Save the agency"

    def get_title(self):
        return f"Change {self.agency}"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": Agency.objects.get(pk=self.agency.pk)}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            back=reverse("accounts:agency_detail", args=[self.agency.pk]), **kwargs)

    def save(self, form):
        services.agency_change(actor=self.request.user, agency=self.agency,
                               data=form.cleaned_data)
        return f"{self.agency} is saved."

    def get_success_url(self):
        return reverse("accounts:agency_detail", args=[self.agency.pk])


# -- people ---------------------------------------------------------------------------------


class PersonListView(access.RoleRequiredMixin, AuditedListMixin, ListView):
    access_check = access.can_manage_people
    template_name = "accounts/people_list.html"
    context_object_name = "people"
    paginate_by = 50

    def get_queryset(self):
        params = self.request.GET
        self.agencies = Agency.objects.order_by("name")
        self.agency = next((a for a in self.agencies if str(a.pk) == params.get("agency")),
                           None)
        self.role = params.get("role") if params.get("role") in Role.values else ""
        self.active = params.get("active") if params.get("active") in ("yes", "no") else ""
        return people_list(self.request.user, agency=self.agency, role=self.role,
                           active=self.active)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop("page", None)
        context.update(agencies=self.agencies, roles=Role.choices, chosen_agency=self.agency,
                       chosen_role=self.role, chosen_active=self.active,
                       query_string=query.urlencode())
        return context


class PersonCreateView(access.RoleRequiredMixin, ServiceFormView):
    access_check = access.can_manage_people
    template_name = "accounts/form_page.html"
    form_class = PersonCreateForm
    title = "Add a person"
    submit_label = "Add the person"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(),
                "grantable": access.grantable_roles(self.request.user)}

    def get_context_data(self, **kwargs):
        return super().get_context_data(back=reverse("people:list"), **kwargs)

    def save(self, form):
        data = form.cleaned_data
        self.saved = services.person_create(actor=self.request.user, data=data)
        if data.get("send_link") and self.saved.email:
            services.person_send_password_link(actor=self.request.user, person=self.saved)
            return f"{self.saved} is added and emailed a link to set their password."
        return f"{self.saved} is added."

    def get_success_url(self):
        return reverse("people:change", args=[self.saved.pk])


class PersonMixin(access.ObjectAccessMixin):
    """A page about one person: those who manage people see everyone, anyone else nobody."""

    selector = people_for
    object_name = "person"


class PersonChangeView(PersonMixin, ServiceFormView):
    template_name = "accounts/person_form.html"
    form_class = PersonForm
    submit_label = "Save"

    def get_title(self):
        return str(self.person)

    def blocked(self):
        if not access.can_change_person(self.request.user, self.person):
            return ("Only the Co-ordinator can change the account of the Co-ordinator, an "
                    "Administrator or a holder of the victim permission (and only a superuser "
                    "a superuser's).")
        return ""

    def get_initial(self):
        person = self.person
        return {"first_name": person.first_name, "last_name": person.last_name,
                "email": person.email, "phone": person.phone, "agency": person.agency,
                "job_title": person.job_title, "grade": person.grade, "roles": person.roles}

    def get_form_kwargs(self):
        user = self.request.user
        return {**super().get_form_kwargs(), "own": self.person.pk == user.pk,
                "grantable": access.grantable_roles(user, self.person)}

    def get_context_data(self, **kwargs):
        user = self.request.user
        return super().get_context_data(
            person=self.person, back=reverse("people:list"),
            spoc_of=list(Agency.objects.filter(spoc=self.person).order_by("name")),
            may_change_active=access.can_change_active(user, self.person),
            may_send_link=access.can_change_person(user, self.person), **kwargs)

    def save(self, form):
        services.person_change(actor=self.request.user, person=self.person,
                               data=form.cleaned_data)
        return f"{self.person} is saved."

    def get_success_url(self):
        return reverse("people:change", args=[self.person.pk])


class PersonActionView(PersonMixin, View):
    """A button on the person's page: do it, say so, back to the page."""

    http_method_names = ["post"]

    def act(self) -> str:
        raise NotImplementedError

    def post(self, request, *args, **kwargs):
        try:
            messages.success(request, self.act())
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect("people:change", self.person.pk)


class PersonActiveView(PersonActionView):
    access_check = access.can_change_active
    denied_status = 403

    def act(self):
        active = self.request.POST.get("active") == "1"
        services.person_set_active(actor=self.request.user, person=self.person, active=active)
        return f"{self.person} can {'now' if active else 'no longer'} sign in."


class PersonPasswordLinkView(PersonActionView):
    access_check = access.can_change_person
    denied_status = 403

    def act(self):
        services.person_send_password_link(actor=self.request.user, person=self.person)
        return f"{self.person} is emailed a link to set their password."


# -- API tokens and lock-outs -----------------------------------------------------------------


class ApiTokenIssueView(PersonMixin, View):
    """Issue an API token acting as this person: the token is shown once, on the answer to
    the form, and only its digest is kept."""

    access_check = access.can_change_person
    denied_status = 403
    template_name = "accounts/token_issue.html"

    def page(self, form, token: str = "", status: int = 200):
        return render(self.request, self.template_name,
                      {"person": self.person, "form": form, "token": token,
                       "back": reverse("people:change", args=[self.person.pk])}, status=status)

    def get(self, request, *args, **kwargs):
        return self.page(ApiTokenForm())

    def post(self, request, *args, **kwargs):
        form = ApiTokenForm(request.POST)
        if not form.is_valid():
            return self.page(form, status=400)
        try:
            token = services.api_token_issue_by(actor=request.user, person=self.person,
                                                **form.cleaned_data)
        except PermissionDenied as refused:
            form.add_error(None, str(refused) or "You may not issue a token for this person.")
            return self.page(form, status=403)
        except ValidationError as error:
            form.add_error(None, error)
            return self.page(form, status=400)
        return self.page(None, token=token)



class ApiTokenListView(access.RoleRequiredMixin, AuditedListMixin, ListView):
    access_check = access.can_manage_people
    template_name = "accounts/token_list.html"
    context_object_name = "tokens"
    paginate_by = 50

    def get_queryset(self):
        return api_tokens_for(self.request.user)


class ApiTokenRevokeView(access.ObjectAccessMixin, View):
    selector = api_tokens_for
    object_name = "token"
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        services.api_token_revoke_by(actor=request.user, token=self.token)
        messages.success(request, f"The token {self.token.prefix}… of {self.token.user} is "
                                  "revoked.")
        return redirect("people:tokens")


class LockoutListView(access.RoleRequiredMixin, AuditedListMixin, ListView):
    access_check = access.can_manage_people
    template_name = "accounts/lockout_list.html"
    context_object_name = "attempts"
    paginate_by = 50

    def get_queryset(self):
        return lockouts_for(self.request.user)

    def get_context_data(self, **kwargs):
        from django.conf import settings

        return super().get_context_data(failure_limit=settings.AXES_FAILURE_LIMIT, **kwargs)


class LockoutClearView(access.ObjectAccessMixin, View):
    selector = lockouts_for
    object_name = "attempt"
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        username = self.attempt.username
        services.lockout_clear(actor=request.user, attempt=self.attempt)
        messages.success(request, f"The failed sign-ins of {username} are cleared.")
        return redirect("people:lockouts")
