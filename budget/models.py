from django.db import models
from simple_history.models import HistoricalRecords

from havering_improve.fy import FinancialYear
from themes.models import Programme, Theme


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
    history = HistoricalRecords(m2m_fields=[themes])

    class Meta:
        ordering = ["allocation", "order"]
        constraints = [
            models.UniqueConstraint(fields=["allocation", "code"], name="budget_line_code_unique")
        ]

    def __str__(self):
        return self.title
