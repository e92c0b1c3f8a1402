"""URLs of the narratives rooms, under /narratives/.

Each part of the room keeps its own URL module; they share the ``narratives`` namespace:
the workbench (projects, sources, coding, agreement), collection (narratives and consent),
reports, exchange (REFI-QDA import and export) and assisted coding.
"""

from django.urls import URLPattern

from alongside.narratives import (
    urls_collect,
    urls_exchange,
    urls_reports,
    urls_suggest,
    urls_workbench,
)

app_name = "narratives"

urlpatterns: list[URLPattern] = [
    *urls_workbench.urlpatterns,
    *urls_collect.urlpatterns,
    *urls_reports.urlpatterns,
    *urls_exchange.urlpatterns,
    *urls_suggest.urlpatterns,
]
