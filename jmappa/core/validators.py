"""Checks on what people type, shared by the models, forms and API of every app."""

from __future__ import annotations

import unicodedata

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible

# The longest a free-text field may be: pages of notes, not a dumped file.
TEXT_MAX_LENGTH = 10_000

NAME_MESSAGE = (
    "A name cannot contain invisible characters or characters that change the direction of "
    "the text (such as a zero-width space or a right-to-left override): type the name again, "
    "without copying it from elsewhere.")


def hidden_characters(value: str) -> list[str]:
    """The invisible characters in `value`: format characters (Unicode category Cf: the
    bidirectional overrides and isolates, zero-width spaces and joiners, the byte-order
    mark...) and control characters. They make a name that reads like another's, or hide
    one: a search for the name would not find it."""
    return [character for character in value
            if unicodedata.category(character) in ("Cf", "Cc")]


@deconstructible
class NameValidator:
    message = NAME_MESSAGE
    code = "hidden_characters"

    def __call__(self, value) -> None:
        if value and hidden_characters(str(value)):
            raise ValidationError(self.message, code=self.code)

    def __eq__(self, other) -> bool:
        return isinstance(other, NameValidator)


validate_name = NameValidator()
