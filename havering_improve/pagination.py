"""One way to page a list: `?page=` names a page that exists, or the answer is 404 (a page
number past the end, below 1 or not a number is a wrong address, not an error of the app).
Only the digits 0-9 make a page number: `str.isdigit()` also takes ², ³ and other digit signs
that `int()` refuses."""

import re

from django.core.paginator import InvalidPage, Paginator
from django.http import Http404

# Beyond any list this service keeps; a larger number is refused before any query.
MAX_PAGE = 100_000
_PAGE = re.compile(r"[0-9]{1,6}")


def page_number(request) -> int:
    """The `?page=` number asked for (1 when absent); Http404 when it cannot be a page."""
    text = request.GET.get("page")
    if text in (None, ""):
        return 1
    if not _PAGE.fullmatch(text) or not 1 <= int(text) <= MAX_PAGE:
        raise Http404("There is no such page.")
    return int(text)


def page_or_404(items, per_page: int, request):
    """The page of `items` that `?page=` asks for."""
    try:
        return Paginator(items, per_page).page(page_number(request))
    except InvalidPage:
        raise Http404("There is no such page.") from None
