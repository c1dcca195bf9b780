from django import forms
from django.contrib.auth.forms import AuthenticationForm, UserChangeForm, UserCreationForm

from .models import Agency, Role, User


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
