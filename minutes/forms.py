from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.forms.renderers import Jinja2

from .boundary import VALUE_INVALID, WHITESPACE_CONTROLS
from .data.municipalities import suggest
from .filters import CLOSED_CHOICES
from .models import Decision
from .search_options import choices, find_committees, find_municipality, has_meetings

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


class ListField(TextField):
    """Text chosen from a list (a <select>); the length limit is checked, not an attribute."""

    def widget_attrs(self, widget):
        return {}


class DateField(_RefusesControlCharacters, forms.DateField):
    pass


class IntegerField(_RefusesControlCharacters, forms.IntegerField):
    pass


class ChoiceField(_RefusesControlCharacters, forms.ChoiceField):
    pass


WIDGETS_BY_JINJA2 = Jinja2()
SORT_CHOICES = [("", "Relevans"), ("nyeste", "Nyeste først"), ("aeldste", "Ældste først")]


class SearchForm(forms.Form):
    """The query and its filters as the page, the API, CSV and the feed accept them.

    The filter names match ItemSearchFilter, which applies them. Municipality and committee
    are chosen by name from lists (`offer_choices`) that submit slugs; a URL may also name them
    (`kommune=Høje-Taastrup`), and cleaning turns either into the slug. A value that names
    nothing in the archive is an error that says so, never a search that silently finds 0.
    """

    # Its widgets rendered by Jinja2 (Django's own widget templates for it, the same HTML less
    # blank lines): the lists of municipalities, committees and years were 2.7 ms of every
    # search page with Django's template engine, 1.2 ms so.
    default_renderer = WIDGETS_BY_JINJA2

    q = TextField(
        label="Søg i referaterne",
        max_length=300,
        required=False,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    kommune = ListField(label="Kommune", required=False, max_length=100, widget=forms.Select)
    udvalg = ListField(label="Udvalg", required=False, max_length=200, widget=forms.Select)
    aar = IntegerField(
        label="År", required=False, min_value=1900, max_value=2100, widget=forms.Select
    )
    fra = DateField(
        label="Fra dato", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    til = DateField(
        label="Til dato", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    udfald = ChoiceField(
        label="Beslutning", required=False, choices=[("", "Alle")] + list(Decision.Outcome.choices)
    )
    lukket = ChoiceField(
        label="Åbne/lukkede", required=False, choices=[("", "Alle punkter"), *CLOSED_CHOICES]
    )
    sortering = ChoiceField(label="Sortering", required=False, choices=SORT_CHOICES)

    # The municipality and committee the filters named, once cleaned.
    municipality = None
    committee = None

    def clean_kommune(self) -> str:
        value = self.cleaned_data.get("kommune") or ""
        if not value.strip():
            return ""
        municipality = find_municipality(value)
        if municipality is None:
            hint = suggest(value)
            message = f"Arkivet kender ingen kommune ved navn »{value}«."
            if hint:
                message += f" Mente du {hint}?"
            raise ValidationError(message + " Vælg en kommune på listen.", code="unknown")
        if not has_meetings(municipality):
            raise ValidationError(
                f"Arkivet har endnu ingen referater fra {municipality.name}. "
                "Vælg en kommune på listen.",
                code="empty",
            )
        self.municipality = municipality
        return municipality.slug

    def clean(self):
        data = super().clean()
        if data.get("fra") and data.get("til") and data["fra"] > data["til"]:
            self.add_error("til", "Til-datoen ligger før fra-datoen.")
        committee = (data.get("udvalg") or "").strip()
        if committee and "kommune" not in self.errors:
            municipality = self.municipality if data.get("kommune") else None
            found = find_committees(committee, municipality)
            if found:
                data["udvalg"] = found[0].slug
                # Named for the page only when it is one committee (or the same name in all).
                self.committee = found[0]
            elif municipality is not None:
                self.add_error(
                    "udvalg",
                    f"{municipality.name} har intet udvalg ved navn »{committee}« i arkivet. "
                    "Vælg et udvalg på listen, som viser den valgte kommunes udvalg.",
                )
            else:
                self.add_error(
                    "udvalg",
                    f"Arkivet kender intet udvalg ved navn »{committee}«. "
                    "Vælg et udvalg på listen.",
                )
        return data

    def normalised_query(self) -> dict[str, str] | None:
        """The parameters as slugs when the URL named a municipality or committee otherwise
        (so the lists show the choice), else None."""
        if not self.is_valid():
            return None
        changed = False
        data = {k: v for k, v in self.data.items() if k in self.fields and v not in ("", None)}
        for name in ("kommune", "udvalg"):
            if name in data and data[name] != self.cleaned_data[name]:
                data[name] = self.cleaned_data[name]
                changed = True
        return data if changed else None

    def offer_choices(
        self, counts: dict[str, dict[str, str]] | None = None, complete: set[str] | None = None
    ) -> None:
        """Fill the lists the page shows (the API, CSV and feed need none of this).

        `counts` maps a field to {value: "(12)"}: the number of matches each choice gives; in
        the fields named in `complete`, a choice without a number gives none, "(0)".
        """
        counts = counts or {}
        complete = complete or set()

        def labelled(name: str, options: list[tuple[str, str]]) -> list[tuple[str, str]]:
            shown = counts.get(name, {})
            zero = "(0)" if name in complete else ""
            return [
                (v, f"{label} {shown.get(v, zero)}".rstrip() if name in counts else label)
                for v, label in options
            ]

        chosen_slug = self.cleaned_data.get("kommune") if hasattr(self, "cleaned_data") else None
        municipalities, committees, year_list = choices(chosen_slug or None)
        self.fields["kommune"].widget.choices = [("", "Alle kommuner")] + labelled(
            "kommune", municipalities
        )
        self.fields["udvalg"].widget.choices = [("", "Alle udvalg")] + labelled(
            "udvalg", committees
        )
        years = [str(y) for y in year_list]
        current = str(self.data.get("aar") or "") if self.is_bound else ""
        if current and current not in years and "aar" not in self.errors:
            years.append(current)
        self.fields["aar"].widget.choices = [("", "Alle år")] + labelled(
            "aar", [(y, y) for y in years]
        )
        self.fields["udfald"].widget.choices = [("", "Alle")] + labelled(
            "udfald", list(Decision.Outcome.choices)
        )
