from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from .boundary import VALUE_INVALID, WHITESPACE_CONTROLS
from .filters import CLOSED_CHOICES
from .models import Decision

INVALID_CHARACTERS = "Feltet indeholder ugyldige tegn (fx kontroltegn). Ret teksten og prøv igen."


class _RefusesControlCharacters:
    """A form field that refuses NUL and other control characters with a Danish message, and
    reads a tab or line break as a space (a search pasted from a spreadsheet or a document).

    The middleware (minutes.boundary) refuses such a query string before any view; this is the
    same rule for a form bound to other data.
    """

    def to_python(self, value):
        if isinstance(value, str):
            if VALUE_INVALID.search(value):
                raise ValidationError(INVALID_CHARACTERS, code="invalid_characters")
            value = WHITESPACE_CONTROLS.sub(" ", value)
        return super().to_python(value)


class TextField(_RefusesControlCharacters, forms.CharField):
    pass


class SlugField(_RefusesControlCharacters, forms.SlugField):
    pass


class DateField(_RefusesControlCharacters, forms.DateField):
    pass


class IntegerField(_RefusesControlCharacters, forms.IntegerField):
    pass


class ChoiceField(_RefusesControlCharacters, forms.ChoiceField):
    pass


SORT_CHOICES = [("", "Relevans"), ("nyeste", "Nyeste først"), ("aeldste", "Ældste først")]


class SearchForm(forms.Form):
    """The query and its filters as the page, the API, CSV and the feed accept them.

    The filter names match ItemSearchFilter, which applies them.
    """

    q = TextField(
        label="Søg i referaterne",
        max_length=300,
        required=False,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    kommune = SlugField(label="Kommune", required=False)
    udvalg = SlugField(label="Udvalg", required=False)
    fra = DateField(
        label="Fra dato", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    til = DateField(
        label="Til dato", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    aar = IntegerField(label="År", required=False, min_value=1900, max_value=2100)
    udfald = ChoiceField(
        label="Beslutning", required=False, choices=[("", "Alle")] + list(Decision.Outcome.choices)
    )
    lukket = ChoiceField(
        label="Åbne/lukkede", required=False, choices=[("", "Alle punkter"), *CLOSED_CHOICES]
    )
    sortering = ChoiceField(label="Sortering", required=False, choices=SORT_CHOICES)

    def clean(self):
        data = super().clean()
        if data.get("fra") and data.get("til") and data["fra"] > data["til"]:
            self.add_error("til", "Til-datoen ligger før fra-datoen.")
        return data
