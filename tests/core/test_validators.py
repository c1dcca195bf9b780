import pytest
from django.core.exceptions import ValidationError

from jmappa.core.validators import validate_name


@pytest.mark.parametrize("name", [
    "Pe\u202eret",  # right-to-left override
    "Pe\u202dter",  # left-to-right override
    "Pe\u2067ter",  # right-to-left isolate
    "Pe\u200bter",  # zero-width space
    "Pe\u200dter",  # zero-width joiner
    "Pe\u200fter",  # right-to-left mark
    "\ufeffPeter",  # byte-order mark
    "Pe\u0000ter",  # a control character
])
def test_a_name_with_hidden_or_direction_characters_is_refused(name):
    with pytest.raises(ValidationError):
        validate_name(name)


@pytest.mark.parametrize("name", ["Peter", "Zoë O'Brien-Le Quesne", "Åsa", "محمد", "José"])
def test_names_in_any_script_are_taken(name):
    validate_name(name)
