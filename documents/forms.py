"""The documents' forms: an upload, and whether a meeting's paper is kept after it."""

from __future__ import annotations

from django import forms

from jmappa.core.forms import PlainWords
from jmappa.core.uploads import ACCEPT, max_bytes

from .models import DocumentKind

KEEP_OR_DESTROY = [("destroy", "Destroy it once the minutes are final"),
                   ("keep", "Keep it with the case")]


class MeetingChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, meeting) -> str:
        return str(meeting)


class DocumentForm(PlainWords, forms.Form):
    upload = forms.FileField(
        label="The document",
        help_text=f"A PDF, Word (.doc, .docx), OpenDocument text (.odt), image (JPEG, PNG, GIF, "
                  f"WebP) or text (.txt) file, up to {max_bytes() // (1024 * 1024)} MB. If the "
                  f"form shows an error, choose the file again.",
        widget=forms.FileInput(attrs={"accept": ACCEPT}),
        error_messages={"required": "Choose the document to upload.",
                        "empty": "The file is empty: choose the document again."})
    title = forms.CharField(label="Title", max_length=200,
                            help_text="What it is, for example: Probation report for the "
                                      "review meeting.")
    kind = forms.ChoiceField(label="Kind of document", choices=DocumentKind.choices,
                             widget=forms.RadioSelect)
    meeting = MeetingChoiceField(
        label="Meeting it is for", queryset=None, required=False, empty_label="None: the case",
        help_text="A report for a meeting, or the offender's written information for it.")
    destroy_after_meeting = forms.BooleanField(
        label="Destroy it once the meeting's minutes are final (Appendix C)", required=False,
        help_text="For copies that are not to be kept: the file is deleted by the daily "
                  "check after the minutes are final, and a record that it was destroyed "
                  "remains.")

    def __init__(self, *args, meetings, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = meetings

    def clean(self):
        data = super().clean()
        if data.get("destroy_after_meeting") and not data.get("meeting"):
            self.add_error("destroy_after_meeting", "Only a meeting's paper is destroyed after "
                                                    "the meeting: choose the meeting it is for.")
        return data


class DestructionForm(PlainWords, forms.Form):
    decision = forms.ChoiceField(label="After the meeting", choices=KEEP_OR_DESTROY,
                                 widget=forms.RadioSelect)
