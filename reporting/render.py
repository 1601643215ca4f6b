"""The PDF renderer: WeasyPrint, loaded only where a PDF is made (`documents.pdf_of`, and a
worker as it starts)."""

import logging
from pathlib import Path

from weasyprint import CSS, HTML
from weasyprint.urls import URLFetcher

# WeasyPrint logs every layout step at INFO; a worker's log needs only its warnings.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)


class LocalOnlyFetcher(URLFetcher):
    """Packs are rendered from the snapshot alone: nothing is fetched over the network (an
    address typed into a highlight report must not make the worker call out)."""

    def fetch(self, url, headers=None):
        if not url.startswith("data:"):
            raise ValueError(f"Meeting packs do not fetch {url}")
        return super().fetch(url, headers)


# The PDF's own stylesheet, read once when the renderer loads.
PDF_CSS = (Path(__file__).resolve().parent / "pack.css").read_text(encoding="utf-8")


# Every generated PDF is a tagged PDF/UA-1 document (WeasyPrint's "pdf/ua-1" variant): its
# language from <html lang>, its <title> shown in the window (DisplayDocTitle), bookmarks from
# the headings, headings, tables and lists tagged as such, each chart a Figure with its alt
# text, and a structure tree in the order of the content. tests/board/test_tagged_pdfs.py
# checks the structure.
PDF_VARIANT = "pdf/ua-1"


def render_pdf(document: str) -> bytes:
    return HTML(string=document, url_fetcher=LocalOnlyFetcher()).write_pdf(
        stylesheets=[CSS(string=PDF_CSS)], pdf_variant=PDF_VARIANT
    )
