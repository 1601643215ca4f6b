from collections import namedtuple

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from havering_improve.fy import FinancialYear
from havering_improve.validators import PERCENT_VALIDATORS, not_negative, validate_plausible_date
from programme.models import Programme
from themes.models import Theme


def with_reason(record, reason: str):
    """`record`, to be saved with `reason` for the change: its history shows the reason (its
    first 100 characters, all the history keeps)."""
    record._change_reason = reason[:100]
    return record


class BudgetAllocation(models.Model):
    """Money allocated to the programme for one financial year (April–March)."""

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="allocations")
    start_year = models.PositiveSmallIntegerField(
        help_text="The calendar year the financial year starts in: 2019 for 2019/20."
    )
    amount = models.DecimalField(
        max_digits=14, decimal_places=2, help_text="Pounds and pence, including on-costs."
    )
    funding_source = models.CharField(max_length=200)
    kind = models.CharField(max_length=40, default="One-off revenue")
    notes = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["programme", "start_year"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "start_year"], name="allocation_year_unique"
            )
        ]

    def __str__(self):
        return f"{self.programme} {self.financial_year.label}"

    @property
    def financial_year(self) -> FinancialYear:
        return FinancialYear(self.start_year)


class BudgetLine(models.Model):
    """One line of the allocation: usually a post (with on-costs) or a block of spend."""

    allocation = models.ForeignKey(BudgetAllocation, on_delete=models.CASCADE, related_name="lines")
    order = models.PositiveSmallIntegerField(default=0)
    code = models.SlugField(max_length=60, help_text="Stable identifier used by the data file.")
    title = models.CharField(max_length=200)
    amount = models.DecimalField(
        max_digits=14, decimal_places=2, help_text="Pounds and pence, including on-costs."
    )
    description = models.TextField(blank=True)
    themes = models.ManyToManyField(Theme, related_name="budget_lines", blank=True)
    version = models.PositiveIntegerField(default=1, help_text="Optimistic concurrency.")
    history = HistoricalRecords(m2m_fields=[themes])

    class Meta:
        ordering = ["allocation", "order"]
        constraints = [
            models.UniqueConstraint(fields=["allocation", "code"], name="budget_line_code_unique")
        ]

    def __str__(self):
        return self.title


def _money(**kwargs):
    return models.DecimalField(max_digits=14, decimal_places=2, **kwargs)


class AllocationSettings(models.Model):
    """How one year's ledger is read and reported: the programme's cost centres and the RAG
    thresholds. Kept beside the allocation so the data-file loader stays untouched."""

    allocation = models.OneToOneField(
        BudgetAllocation, on_delete=models.CASCADE, related_name="settings"
    )
    cost_centres = models.CharField(
        "programme cost centres",
        max_length=200,
        blank=True,
        help_text="The programme's cost centres, separated by commas, e.g. C21450.",
    )
    amber_percent = models.DecimalField(
        "amber when forecast variance is over (%)",
        max_digits=5,
        decimal_places=2,
        default=2,
        help_text="Forecast variance over this is amber.",
        validators=PERCENT_VALIDATORS,
    )
    red_percent = models.DecimalField(
        "red when forecast variance is over (%)",
        max_digits=5,
        decimal_places=2,
        default=5,
        help_text="Forecast variance over this is red.",
        validators=PERCENT_VALIDATORS,
    )
    version = models.PositiveIntegerField(default=1, help_text="Optimistic concurrency.")
    history = HistoricalRecords()

    class Meta:
        verbose_name = "allocation settings"
        verbose_name_plural = "allocation settings"

    def __str__(self):
        return f"Settings for {self.allocation}"

    @property
    def cost_centre_codes(self) -> set[str]:
        return {c.strip().upper() for c in self.cost_centres.split(",") if c.strip()}


class LedgerImport(models.Model):
    """One uploaded ledger extract: the original file, who uploaded it, when, and what came of it.

    Ledger rows are written in bulk (`budget.actions.imports.ledger_rows_insert`, which
    simple-history cannot see), so this record and its own history are the audit trail for the
    rows it brought in."""

    class Status(models.TextChoices):
        PREVIEWED = "previewed", "Waiting for confirmation"
        REJECTED = "rejected", "Rejected"
        IMPORTED = "imported", "Imported"
        REVERSED = "reversed", "Reversed"
        CANCELLED = "cancelled", "Cancelled"

    allocation = models.ForeignKey(
        BudgetAllocation, on_delete=models.PROTECT, related_name="imports"
    )
    original_file = models.FileField(upload_to="ledger-imports/%Y/%m/")
    original_name = models.CharField(max_length=255)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="ledger_imports"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PREVIEWED)
    summary = models.JSONField(default=dict, blank=True)
    errors = models.JSONField(default=list, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    rows_imported = models.PositiveIntegerField(default=0)
    total_imported = _money(default=0)
    reversed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reversed_at = models.DateTimeField(null=True, blank=True)
    reversal_reason = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-uploaded_at", "-pk"]

    def __str__(self):
        return f"{self.original_name} ({self.get_status_display().lower()})"


class MatchingRule(models.Model):
    """Places ledger rows on a budget line: by post number (payroll), or by cost centre and
    subjective, optionally narrowed by text the description contains."""

    class Kind(models.TextChoices):
        POST = "post", "Post number"
        CODING = "coding", "Cost centre and subjective"

    allocation = models.ForeignKey(BudgetAllocation, on_delete=models.CASCADE, related_name="rules")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    post_number = models.CharField(max_length=40, blank=True)
    cost_centre = models.CharField(max_length=40, blank=True)
    subjective = models.CharField(max_length=40, blank=True)
    description_contains = models.CharField(max_length=200, blank=True)
    line = models.ForeignKey(BudgetLine, on_delete=models.CASCADE, related_name="rules")
    history = HistoricalRecords()

    class Meta:
        ordering = ["kind", "post_number", "cost_centre", "subjective", "description_contains"]

    def __str__(self):
        return f"{self.describe()} → {self.line}"

    def describe(self) -> str:
        if self.kind == self.Kind.POST:
            return f"Post {self.post_number}"
        text = f"Cost centre {self.cost_centre}, subjective {self.subjective}"
        if self.description_contains:
            text += f', description contains "{self.description_contains}"'
        return text


class LedgerRow(models.Model):
    """One posting from the ledger, as imported. Never edited: allocation by hand is recorded in
    RowAllocation, and a reversed import makes its rows inactive (the batch records why)."""

    class Match(models.TextChoices):
        POST = "post", "Post number rule"
        CODING = "coding", "Cost centre and subjective rule"
        NONE = "none", "Not matched"

    batch = models.ForeignKey(LedgerImport, on_delete=models.PROTECT, related_name="rows")
    allocation = models.ForeignKey(
        BudgetAllocation, on_delete=models.PROTECT, related_name="ledger_rows"
    )
    source_row = models.PositiveIntegerField(help_text="Row number in the uploaded file.")
    posting_date = models.DateField(validators=[validate_plausible_date])
    period = models.PositiveSmallIntegerField()
    cost_centre = models.CharField(max_length=40)
    cost_centre_name = models.CharField(max_length=200, blank=True)
    subjective = models.CharField(max_length=40)
    subjective_name = models.CharField(max_length=200, blank=True)
    reference = models.CharField(max_length=100)
    post_number = models.CharField(max_length=40, blank=True)
    description = models.CharField(max_length=500, blank=True)
    amount = _money()
    line = models.ForeignKey(
        BudgetLine, on_delete=models.PROTECT, null=True, blank=True, related_name="ledger_rows"
    )
    rule = models.ForeignKey(
        MatchingRule, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    match = models.CharField(max_length=10, choices=Match.choices, default=Match.NONE)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["posting_date", "reference"]
        constraints = [
            models.UniqueConstraint(
                fields=["allocation", "reference"],
                condition=models.Q(active=True),
                name="ledger_reference_unique_while_active",
            )
        ]
        indexes = [
            models.Index(fields=["allocation", "active", "period"]),
            # The ledger page and its downloads list a year's rows in this order: read from the
            # index, a page or a download's first rows need no sort of the whole year.
            models.Index(
                fields=["allocation", "posting_date", "reference"],
                condition=models.Q(active=True),
                name="ledger_in_order_while_active",
            ),
        ]

    def __str__(self):
        return f"{self.reference} {self.amount}"


# The ledger's columns, in the order the bulk insert
# (`budget.actions.imports.ledger_rows_insert`) takes a row's values: every column of a ledger
# row but its id, as the model declares them.
LEDGER_ROW_COLUMNS = tuple(
    f.attname for f in LedgerRow._meta.local_concrete_fields if not f.primary_key
)
# A ledger row's values, named by those columns.
LedgerRowValues = namedtuple("LedgerRowValues", LEDGER_ROW_COLUMNS)


class RowAllocation(models.Model):
    """A share of an unmatched ledger row placed on a budget line by a finance officer. A row
    split across lines has several; their amounts add up to the row's."""

    row = models.ForeignKey(LedgerRow, on_delete=models.PROTECT, related_name="allocations")
    line = models.ForeignKey(BudgetLine, on_delete=models.PROTECT, related_name="row_allocations")
    amount = _money()
    allocated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    allocated_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["row", "pk"]

    def __str__(self):
        return f"{self.amount} of {self.row.reference} to {self.line}"


class Virement(models.Model):
    """Budget moved between two lines of the same year, with the reason and who approved it."""

    allocation = models.ForeignKey(
        BudgetAllocation, on_delete=models.CASCADE, related_name="virements"
    )
    from_line = models.ForeignKey(BudgetLine, on_delete=models.PROTECT, related_name="+")
    to_line = models.ForeignKey(BudgetLine, on_delete=models.PROTECT, related_name="+")
    amount = _money()
    reason = models.TextField()
    approved_by = models.CharField(max_length=200, help_text="Who approved it, and their role.")
    approved_on = models.DateField(validators=[validate_plausible_date])
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["approved_on", "pk"]

    def __str__(self):
        return f"{self.amount} from {self.from_line} to {self.to_line}"


class Commitment(models.Model):
    """Money promised but not yet in the ledger: an order raised, a contract signed."""

    class Kind(models.TextChoices):
        ORDER = "order", "Order raised"
        CONTRACT = "contract", "Contract signed"
        POST = "post", "Post appointed"

    line = models.ForeignKey(BudgetLine, on_delete=models.CASCADE, related_name="commitments")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    description = models.CharField(max_length=300)
    reference = models.CharField(max_length=100, blank=True)
    amount = _money(
        help_text="Still to be paid, in pounds and pence.",
        validators=[not_negative("A commitment (a credit is a ledger row, not a commitment)")],
    )
    raised_on = models.DateField(validators=[validate_plausible_date])
    version = models.PositiveIntegerField(default=1, help_text="Optimistic concurrency.")
    history = HistoricalRecords()

    class Meta:
        ordering = ["line", "raised_on", "pk"]

    def __str__(self):
        return self.description


class Post(models.Model):
    """An establishment post paid from a line. Its recruitment status drives the forecast: no
    cost until someone starts, so a late start shows as forecast underspend."""

    class Status(models.TextChoices):
        VACANT = "vacant", "Vacant"
        ADVERTISED = "advertised", "Advertised"
        APPOINTED = "appointed", "Appointed"

    line = models.ForeignKey(BudgetLine, on_delete=models.CASCADE, related_name="posts")
    post_number = models.CharField(max_length=40)
    title = models.CharField(max_length=200)
    annual_cost = _money(
        help_text="Full-year cost with on-costs.", validators=[not_negative("A post's annual cost")]
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.VACANT)
    start_date = models.DateField(
        null=True,
        blank=True,
        help_text="Actual or expected start date.",
        validators=[validate_plausible_date],
    )
    version = models.PositiveIntegerField(default=1, help_text="Optimistic concurrency.")
    history = HistoricalRecords()

    class Meta:
        ordering = ["line", "post_number"]
        constraints = [
            models.UniqueConstraint(fields=["line", "post_number"], name="post_number_unique")
        ]

    def __str__(self):
        return f"{self.post_number} {self.title}"


class LineMonth(models.Model):
    """A line's budget profile for one period and, when set by hand, its forecast."""

    line = models.ForeignKey(BudgetLine, on_delete=models.CASCADE, related_name="months")
    period = models.PositiveSmallIntegerField()
    profile = _money(default=0)
    forecast = _money(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["line", "period"]
        constraints = [models.UniqueConstraint(fields=["line", "period"], name="line_month_unique")]

    def __str__(self):
        return f"{self.line} period {self.period}"


class PeriodState(models.Model):
    """Whether a period's actuals are frozen. Closing and reopening are kept in its history."""

    allocation = models.ForeignKey(
        BudgetAllocation, on_delete=models.CASCADE, related_name="period_states"
    )
    period = models.PositiveSmallIntegerField()
    closed = models.BooleanField(default=False)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now=True)
    reason = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["allocation", "period"]
        constraints = [
            models.UniqueConstraint(fields=["allocation", "period"], name="period_state_unique")
        ]

    def __str__(self):
        return f"Period {self.period} {'closed' if self.closed else 'open'}"


class ForecastSnapshot(models.Model):
    """A line's forecast outturn as it stood when a period was closed: the report's 'previous
    forecast' is the latest snapshot."""

    line = models.ForeignKey(BudgetLine, on_delete=models.CASCADE, related_name="snapshots")
    period = models.PositiveSmallIntegerField()
    outturn = _money()
    taken_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["line", "-taken_at", "-pk"]

    def __str__(self):
        return f"{self.line} forecast at period {self.period}"


class ThemeWeight(models.Model):
    """How much of a line's spend a theme carries; without any, a line is split equally."""

    line = models.ForeignKey(BudgetLine, on_delete=models.CASCADE, related_name="theme_weights")
    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="budget_weights")
    weight = models.DecimalField(max_digits=7, decimal_places=2)
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["line", "theme"], name="theme_weight_unique")
        ]

    def __str__(self):
        return f"{self.theme} {self.weight} of {self.line}"
