"""What a WeasyPrint PDF may load: files from one of our own static folders, nothing else.

Every PDF the service makes (the plan, the pocket crisis card, the handover summary) renders with
``local_fetcher(folder, what)``, so no URL in a template or a person's text can make the server
fetch from the network or read a file outside that folder.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any


def check_local(url: str, folder: Path, what: str) -> None:
    """Allow files inside ``folder`` only; refuse any other URL (no network)."""
    if url.startswith("file://"):
        path = Path(url.removeprefix("file://").split("?")[0].split("#")[0]).resolve()
        if path.is_relative_to(folder):
            return
    raise ValueError(f"refused to fetch {url}: {what} uses local files only")


def local_fetcher(folder: Path, what: str) -> Any:
    """A WeasyPrint URL fetcher that only opens files inside ``folder``."""
    from weasyprint.urls import URLFetcher

    class LocalOnlyFetcher(URLFetcher):  # type: ignore[misc]  # WeasyPrint is untyped
        def fetch(self, url: str, headers: Any = None) -> Any:
            check_local(url, folder, what)
            return super().fetch(url, headers)

    return LocalOnlyFetcher(allowed_protocols=("file",), allow_redirects=False)
