"""Thin function views: validate input, call a selector, render."""

from __future__ import annotations

from django.shortcuts import redirect, render

from . import selectors
from .forms import SearchForm


def home(request):
    return render(
        request,
        "minutes/home.html",
        {
            "form": SearchForm(),
            "municipalities": selectors.municipalities_with_content(),
            "latest": selectors.latest_meetings(limit=8),
            "counts": selectors.archive_counts(),
        },
    )


def municipality(request, municipality):
    obj = selectors.get_municipality(municipality)
    return render(
        request,
        "minutes/municipality.html",
        {
            "municipality": obj,
            "committees": selectors.committees_of(obj),
            "latest": selectors.latest_meetings(municipality=obj, limit=10),
            "documents": obj.documents.all(),
        },
    )


def committee(request, municipality, committee):
    obj = selectors.get_committee(municipality, committee)
    return render(
        request,
        "minutes/committee.html",
        {
            "committee": obj,
            "municipality": obj.municipality,
            "years": selectors.meetings_by_year(obj),
            "members": selectors.committee_members(obj),
        },
    )


def meeting(request, municipality, committee, date):
    obj = selectors.get_meeting(municipality, committee, date)
    previous, following = selectors.neighbours(obj)
    return render(
        request,
        "minutes/meeting.html",
        {
            "meeting": obj,
            "committee": obj.committee,
            "municipality": obj.committee.municipality,
            "items": obj.items.all(),
            "previous": previous,
            "following": following,
        },
    )


def case(request, municipality, number):
    obj = selectors.get_case(municipality, number)
    if obj.url_number != number:
        return redirect(obj, permanent=True)
    trail = selectors.decision_trail(obj)
    return render(
        request,
        "minutes/case.html",
        {
            "case": obj,
            "municipality": obj.municipality,
            "trail": trail,
            "latest": trail[-1] if trail else None,
            "items": selectors.case_items(obj),
        },
    )


def document(request, municipality, slug):
    obj = selectors.get_document(municipality, slug)
    return render(
        request,
        "minutes/document.html",
        {
            "document": obj,
            "municipality": obj.municipality,
            "sections": obj.sections.all(),
        },
    )
