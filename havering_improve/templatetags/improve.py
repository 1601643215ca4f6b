from decimal import Decimal

from django import template

register = template.Library()


@register.filter
def gbp(value, pence: bool = True):
    """£750,000.00 — money as Decimal, never float. Negative amounts as −£1,250.00."""
    if value is None or value == "":
        return ""
    amount = Decimal(value)
    sign = "−" if amount < 0 else ""
    text = f"{abs(amount):,.2f}" if pence else f"{abs(amount):,.0f}"
    return f"{sign}£{text}"


@register.filter
def gbp_whole(value):
    return gbp(value, pence=False)


@register.filter
def minutes(delta):
    """A timedelta as whole minutes, for messages such as "wait 15 minutes"."""
    return int(delta.total_seconds() // 60) if delta else 0
