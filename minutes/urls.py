from django.urls import path, register_converter

from . import search_views, views


class IsoDateConverter:
    regex = r"\d{4}-\d{2}-\d{2}"

    def to_python(self, value: str):
        from datetime import date

        try:
            return date.fromisoformat(value)
        except ValueError as exc:  # 2021-02-30 matches the pattern but is no date
            raise ValueError(value) from exc

    def to_url(self, value) -> str:
        return value.isoformat() if hasattr(value, "isoformat") else str(value)


register_converter(IsoDateConverter, "isodate")

app_name = "minutes"
urlpatterns = [
    path("", views.home, name="home"),
    path("soeg/", search_views.search, name="search"),
    path("<slug:municipality>/", views.municipality, name="municipality"),
    path("<slug:municipality>/sager/<str:number>/", views.case, name="case"),
    path("<slug:municipality>/dokumenter/<slug:slug>/", views.document, name="document"),
    path("<slug:municipality>/<slug:committee>/", views.committee, name="committee"),
    path("<slug:municipality>/<slug:committee>/<isodate:date>/", views.meeting, name="meeting"),
]
