from __future__ import annotations

from django import forms

from .filters import CLOSED_CHOICES
from .models import Decision

SORT_CHOICES = [("", "Relevans"), ("nyeste", "Nyeste først"), ("aeldste", "Ældste først")]


class SearchForm(forms.Form):
    """The query and its filters as the page, the API, CSV and the feed accept them.

    The filter names match ItemSearchFilter, which applies them.
    """

    q = forms.CharField(
        label="Søg i referaterne",
        max_length=300,
        required=False,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    kommune = forms.SlugField(label="Kommune", required=False)
    udvalg = forms.SlugField(label="Udvalg", required=False)
    fra = forms.DateField(
        label="Fra dato", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    til = forms.DateField(
        label="Til dato", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    aar = forms.IntegerField(label="År", required=False, min_value=1900, max_value=2100)
    udfald = forms.ChoiceField(
        label="Beslutning", required=False, choices=[("", "Alle")] + list(Decision.Outcome.choices)
    )
    lukket = forms.ChoiceField(
        label="Åbne/lukkede", required=False, choices=[("", "Alle punkter"), *CLOSED_CHOICES]
    )
    sortering = forms.ChoiceField(label="Sortering", required=False, choices=SORT_CHOICES)

    def clean(self):
        data = super().clean()
        if data.get("fra") and data.get("til") and data["fra"] > data["til"]:
            self.add_error("til", "Til-datoen ligger før fra-datoen.")
        return data
