"""The one place the self-evaluation borrows the service's PDF renderer (WeasyPrint, tagged
PDF/UA-1, fetching nothing): every PDF the service makes is made the same way."""

from board.packs import render_pdf

__all__ = ["render_pdf"]
