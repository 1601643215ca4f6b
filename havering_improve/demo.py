"""What every part of the demo (`load_programme --demo`) shares: whether the demo may be loaded
here, and its password, hashed once."""

from django.conf import settings
from django.contrib.auth.hashers import make_password


class DemoRefused(RuntimeError):
    """The demo setting is off: demo users and data never belong in production."""


def require_demo() -> None:
    """Demo users (whose password everyone knows) and demo data only where the DEMO setting is
    on: `make run` and a developer's machine, never production."""
    if not getattr(settings, "DEMO", False):
        raise DemoRefused(
            "the DEMO setting is off. Demo users share a published password and never belong "
            "in production."
        )


_hashes: dict[tuple, str] = {}


def password_hash(password: str) -> str:
    """The demo password, hashed once for every demo user: they all share it, and each hash is
    made slow on purpose (half a second each, most of the demo's load on a busy machine)."""
    key = (password, tuple(settings.PASSWORD_HASHERS))
    if key not in _hashes:
        _hashes[key] = make_password(password)
    return _hashes[key]
