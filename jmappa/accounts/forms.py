from django import forms
from django.contrib.auth.forms import AuthenticationForm, UserChangeForm, UserCreationForm

from jmappa.core.validators import validate_name

from .models import Agency, Grade, Role, User


class SignInForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": (
            "The username or password is not right. Check them and try again. "
            "After repeated failures the account is locked for a while."
        ),
        "inactive": "This account is disabled. Contact the JMAPPA Co-ordinator.",
    }


class RolesField(forms.TypedMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs):
        kwargs.pop("base_field", None)
        kwargs.pop("max_length", None)
        super().__init__(choices=Role.choices, required=False, **kwargs)


class UserAdminForm(UserChangeForm):
    roles = RolesField(help_text="A user can hold several roles.")

    class Meta(UserChangeForm.Meta):
        model = User
        fields = "__all__"


class UserAdminCreationForm(UserCreationForm):
    roles = RolesField()

    class Meta(UserCreationForm.Meta):
        model = User
        fields = ["username", "first_name", "last_name", "email", "agency", "job_title",
                  "grade", "roles"]


class AgencyAdminForm(forms.ModelForm):
    class Meta:
        model = Agency
        fields = ["name", "kind", "duty_to_cooperate", "address", "phone", "secure_email",
                  "spoc", "spoc_sees_agency_cases", "is_active"]

    def clean(self):
        data = super().clean()
        spoc = data.get("spoc")
        if spoc is not None and self.instance.pk and spoc.agency_id != self.instance.pk:
            self.add_error("spoc", "The SPOC must be a member of this agency.")
        return data


class PersonForm(forms.Form):
    """A person's details and roles, as the Co-ordinator or an Administrator keeps them;
    saved by accounts.services (which asks the rules again)."""

    first_name = forms.CharField(max_length=150, validators=[validate_name])
    last_name = forms.CharField(max_length=150, validators=[validate_name])
    email = forms.EmailField(required=False, help_text="Where the password-set link and "
                                                       "notifications go.")
    phone = forms.CharField(max_length=40, required=False, label="Telephone")
    agency = forms.ModelChoiceField(queryset=Agency.objects.all(),
                                    required=False)
    job_title = forms.CharField(max_length=200, required=False, validators=[validate_name])
    grade = forms.TypedChoiceField(choices=[("", "—"), *Grade.choices], coerce=int,
                                   empty_value=None, required=False)
    roles = RolesField(help_text="A person can hold several roles.")

    def __init__(self, *args, grantable: list[str], own: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        roles = self.fields["roles"]
        if own:
            roles.disabled = True
            roles.help_text = "Nobody changes their own roles: ask the Co-ordinator."
        elif set(Role.values) - set(grantable):
            roles.help_text = ("Only the Co-ordinator gives or takes away the Co-ordinator "
                               "and Administrator roles.")


class PersonCreateForm(PersonForm):
    username = forms.CharField(max_length=150, help_text="What they sign in with.",
                               validators=[User.username_validator])
    send_link = forms.BooleanField(
        required=False, initial=True, label="Email them a link to set their password")

    field_order = ["username", "first_name", "last_name", "email", "phone", "agency",
                   "job_title", "grade", "roles", "send_link"]


class ApiTokenForm(forms.Form):
    """A partner system's token acting as this person."""

    name = forms.CharField(max_length=100, required=False, label="What it is for",
                           help_text="The partner system that will use it, for example "
                                     "\u201cPolice case system\u201d.",
                           validators=[validate_name])
    days = forms.IntegerField(label="Valid for (days)", min_value=1, max_value=365,
                              initial=90, error_messages={
                                  "min_value": "Enter a number of days from 1 to 365.",
                                  "max_value": "Enter a number of days from 1 to 365.",
                                  "invalid": "Enter a number of days from 1 to 365.",
                                  "required": "Enter how many days the token is valid for."})


class AgencyForm(AgencyAdminForm):
    """An agency of the directory; its SPOC is one of its own people."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        spoc = self.fields["spoc"]
        if self.instance.pk:
            spoc.queryset = self.instance.users.filter(is_active=True)
        else:
            del self.fields["spoc"]
