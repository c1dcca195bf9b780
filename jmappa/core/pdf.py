"""PDF rendering for every app: WeasyPrint that never reaches the network, and the response
that opens a PDF in the browser without leaving a copy in any cache.

The only resources WeasyPrint may load are data: URLs and the project's own static files,
so a stray link in a case's free text can never make the server fetch from the network.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpResponse
from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.urls import URLFetcher


def _static_roots() -> list[Path]:
    """The folders static files are served from: only these may be read while rendering."""
    roots = [Path(folder) for folder in settings.STATICFILES_DIRS]
    for finder in finders.get_finders():
        for storage in getattr(finder, "storages", {}).values():
            location = getattr(storage, "location", None)
            if location:
                roots.append(Path(location))
    if settings.STATIC_ROOT:
        roots.append(Path(settings.STATIC_ROOT))
    return [root.resolve() for root in roots]


def _file_path(url: str) -> str:
    return unquote(urlsplit(url).path)


class LocalOnlyFetcher(URLFetcher):
    """Loads data: URLs and files under the static folders; refuses everything else."""

    def fetch(self, url, headers=None):
        scheme = url.split(":", 1)[0].lower()
        if scheme == "data":
            return super().fetch(url, headers)
        if scheme == "file":
            path = Path(_file_path(url)).resolve()
            if any(path.is_relative_to(root) for root in _static_roots()):
                return super().fetch(url, headers)
        raise ValueError(f"Not loaded while printing: {url[:80]}")


def static_file_url(name: str) -> str:
    """A static file (e.g. a print stylesheet) as a file: URL WeasyPrint may load."""
    return Path(finders.find(name)).resolve().as_uri()


def render_pdf(template: str, context: dict, *, base_url: str | None = None) -> bytes:
    """The template rendered to PDF bytes, loading only local resources. Every template has
    `protective_marking` (settings.PROTECTIVE_MARKING), printed at the top and bottom of
    every page."""
    html = render_to_string(template, {"protective_marking": settings.PROTECTIVE_MARKING,
                                       **context})
    return HTML(string=html, base_url=base_url, url_fetcher=LocalOnlyFetcher()).write_pdf()


def pdf_response(content: bytes, filename: str) -> HttpResponse:
    """The PDF opened in the browser; never stored by a shared cache or the browser's."""
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response
