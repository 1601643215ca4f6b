"""What a test asks of a file download or of storage."""

from pathlib import Path
from urllib.parse import unquote


def saved_as(response) -> str:
    """The name a browser saves a download as: RFC 6266's `filename*` when there is one (any
    name that is not plain ASCII), else `filename`. Fails unless it is an attachment."""
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;"), disposition
    if "filename*=utf-8''" in disposition:
        return unquote(disposition.split("filename*=utf-8''", 1)[1])
    return disposition.split('filename="', 1)[1].rsplit('"', 1)[0]


def files_under(root) -> list[Path]:
    """Every file in the folder `root` and below (none when there is no such folder)."""
    root = Path(root)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []
