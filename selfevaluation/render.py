"""The one place the self-evaluation borrows the service's PDF renderer (WeasyPrint, tagged
PDF/UA-1, fetching nothing), loaded only when a PDF is made: every PDF the service makes is made
the same way."""

from reporting.documents import pdf_of as render_pdf

__all__ = ["render_pdf"]
