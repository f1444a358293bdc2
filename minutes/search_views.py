"""Search pages and machine formats: HTML results, JSON API, CSV download, Atom feed."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.shortcuts import redirect, render

from .forms import SearchForm
from .search import run_search


def search(request):
    form = SearchForm(request.GET or None)
    results = None
    if form.is_valid() and form.cleaned_data["q"]:
        results = run_search(form.cleaned_data)
        if results.redirect_to:
            return redirect(results.redirect_to)
        page = Paginator(results.items, 20).get_page(request.GET.get("side"))
        results.attach_snippets(page.object_list)
        return render(
            request, "minutes/search.html", {"form": form, "results": results, "page": page}
        )
    return render(request, "minutes/search.html", {"form": form, "results": results, "page": None})
