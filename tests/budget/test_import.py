"""Importing the ledger: preview, confirm, idempotence, reversal, closed periods."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from budget import imports
from budget.actions import imports as import_actions
from budget.imports import ImportSummary, RuleCount
from budget.models import LedgerImport, LedgerRow, LedgerRowValues
from havering_improve import summaries
from tests.budget.conftest import close_periods, csv_of, row, upload

pytestmark = pytest.mark.django_db


def test_the_preview_of_the_sample_sorts_every_row_and_saves_nothing(
    set_up, finance_officer, sample_bytes
):
    batch = upload(set_up, finance_officer, sample_bytes, "ledger-extract.csv")
    summary = ImportSummary.of(batch)
    assert batch.status == LedgerImport.Status.PREVIEWED
    assert summary.recognised.count == 112
    assert summary.matched.count == 108
    # The three training rows (4800) have no rule.
    assert summary.unmatched.count == 3
    assert [s.reference for s in summary.unmatched.samples] == [
        "AP700207",
        "JNL700209",
        "AP700211",
    ]
    # Children's Services Central's subscription is listed, not counted.
    assert summary.other.count == 1
    assert summary.other.samples[0].reference == "AP700212"
    assert summary.duplicate.count == 0
    assert RuleCount("Post P10238 → Project Manager", 18) in summary.by_rule
    assert summary.problem_count == 0
    assert not LedgerRow.objects.exists()


def test_the_preview_reads_back_from_its_record_as_it_was_made(
    set_up, finance_officer, sample_bytes
):
    batch = upload(set_up, finance_officer, sample_bytes, "ledger-extract.csv")
    summary = ImportSummary.of(batch)
    batch.refresh_from_db()
    assert ImportSummary.of(batch) == summary
    assert ImportSummary.from_json(summary.to_json()) == summary
    assert summary.matched.samples[0].line  # a matched row names its line and rule
    assert summary.matched.samples[0].rule


def test_confirming_imports_every_programme_row_and_keeps_the_file(
    imported_sample, finance_officer
):
    batch = imported_sample
    assert batch.status == LedgerImport.Status.IMPORTED
    assert batch.rows_imported == 111
    assert batch.total_imported == Decimal("199097.03")
    assert LedgerRow.objects.filter(active=True).count() == 111
    assert batch.uploaded_by == finance_officer
    with batch.original_file.open("rb") as handle:
        assert handle.read().startswith(b"Posting Date,Period")
    assert batch.history.first().history_change_reason == "Imported"


def test_importing_the_same_extract_twice_never_double_counts(
    imported_sample, finance_officer, sample_bytes
):
    again = upload(imported_sample.allocation, finance_officer, sample_bytes, "again.csv")
    assert ImportSummary.of(again).duplicate.count == 111
    assert ImportSummary.of(again).matched.count == 0
    import_actions.ledger_import_confirm(batch=again, actor=finance_officer)
    assert LedgerRow.objects.filter(active=True).count() == 111


def test_an_overlapping_extract_adds_only_the_new_rows(imported_sample, finance_officer):
    content = csv_of(
        row(ref="AP700206", amount="15000.00"),
        row(ref="AP800001", date="15/10/2019", period="7", amount="250.00"),
    )
    batch = upload(imported_sample.allocation, finance_officer, content)
    assert ImportSummary.of(batch).duplicate.count == 1
    import_actions.ledger_import_confirm(batch=batch, actor=finance_officer)
    assert LedgerRow.objects.filter(active=True).count() == 112


def test_a_closed_period_refuses_an_import_with_new_rows_in_it(set_up, finance_officer):
    close_periods(set_up, finance_officer, 2)
    batch = upload(set_up, finance_officer, csv_of(row(), row(ref="AP2")))
    assert batch.status == LedgerImport.Status.REJECTED
    assert batch.errors[-1]["message"].startswith("Period 2 is closed, and the file has 2 new row")
    assert not LedgerRow.objects.exists()


def test_a_period_closed_between_preview_and_confirm_still_refuses_the_import(
    set_up, finance_officer
):
    batch = upload(set_up, finance_officer, csv_of(row()))
    close_periods(set_up, finance_officer, 2)
    with pytest.raises(imports.ImportRefused):
        import_actions.ledger_import_confirm(batch=batch, actor=finance_officer)
    assert not LedgerRow.objects.exists()
    batch.refresh_from_db()
    assert batch.status == LedgerImport.Status.PREVIEWED


def test_rows_already_imported_in_a_closed_period_do_not_block_a_re_import(
    imported_sample, finance_officer, sample_bytes
):
    close_periods(imported_sample.allocation, finance_officer, 6)
    again = upload(imported_sample.allocation, finance_officer, sample_bytes, "again.csv")
    assert again.status == LedgerImport.Status.PREVIEWED


def test_an_import_can_be_reversed_with_a_reason_and_imported_again(
    imported_sample, finance_officer, sample_bytes
):
    allocation = imported_sample.allocation
    import_actions.ledger_import_reverse(
        batch=imported_sample, actor=finance_officer, reason="Wrong extract"
    )
    imported_sample.refresh_from_db()
    assert imported_sample.status == LedgerImport.Status.REVERSED
    assert imported_sample.reversal_reason == "Wrong extract"
    assert imported_sample.history.first().history_change_reason == "Reversed: Wrong extract"
    assert not LedgerRow.objects.filter(active=True).exists()
    again = upload(allocation, finance_officer, sample_bytes, "again.csv")
    assert ImportSummary.of(again).duplicate.count == 0
    import_actions.ledger_import_confirm(batch=again, actor=finance_officer)
    assert LedgerRow.objects.filter(active=True).count() == 111


def test_an_import_touching_a_closed_period_cannot_be_reversed(imported_sample, finance_officer):
    close_periods(imported_sample.allocation, finance_officer, 3)
    with pytest.raises(ValidationError, match="closed period"):
        import_actions.ledger_import_reverse(
            batch=imported_sample, actor=finance_officer, reason="x"
        )


def test_reversing_needs_a_reason(imported_sample, finance_officer):
    with pytest.raises(ValidationError):
        import_actions.ledger_import_reverse(
            batch=imported_sample, actor=finance_officer, reason=" "
        )


def test_a_confirmed_import_cannot_be_confirmed_again(imported_sample, finance_officer):
    with pytest.raises(ValidationError):
        import_actions.ledger_import_confirm(batch=imported_sample, actor=finance_officer)


def test_rows_of_other_cost_centres_are_never_counted(imported_sample):
    assert not LedgerRow.objects.filter(cost_centre="C21999").exists()


def test_without_the_programme_cost_centre_nothing_can_be_imported(allocation, finance_officer):
    batch = upload(allocation, finance_officer, csv_of(row()))
    assert batch.status == LedgerImport.Status.REJECTED
    assert "cost centres" in batch.errors[-1]["message"]


def test_a_lead_cannot_upload(set_up, lead):
    with pytest.raises(PermissionDenied):
        upload(set_up, lead, csv_of(row()))


def test_the_preview_total_reconciles_to_the_whole_file(set_up, finance_officer, sample_bytes):
    batch = upload(set_up, finance_officer, sample_bytes, "ledger-extract.csv")
    summary = ImportSummary.of(batch)
    # Every amount in the sample extract, programme and other cost centres alike.
    assert summary.recognised.total == Decimal("199547.03")
    assert (
        summary.matched.total + summary.unmatched.total + summary.other.total
        == summary.recognised.total
    )


def test_an_auditor_reads_the_history_of_an_import(imported_sample, client, auditor):
    auditor.is_staff = True
    auditor.save(update_fields=["is_staff"])
    from havering_improve import roles

    roles.sync_role_groups()
    client.force_login(auditor)
    url = f"/admin/budget/ledgerimport/{imported_sample.pk}/history/"
    response = client.get(url)
    assert response.status_code == 200
    assert "Imported" in response.content.decode()
    assert (
        client.post(f"/admin/budget/ledgerimport/{imported_sample.pk}/change/").status_code == 403
    )


def test_a_reference_twice_in_the_file_is_refused_with_both_rows(set_up, finance_officer):
    content = csv_of(
        row(ref="AP1", amount="10.00"),
        row(ref="AP2", amount="20.00"),
        row(ref="AP1", amount="30.00"),
        row(ref="AP1", amount="40.00"),
    )
    batch = upload(set_up, finance_officer, content)
    assert batch.status == LedgerImport.Status.REJECTED
    assert [(e["row"], e["column"], e["message"]) for e in batch.errors] == [
        (4, "Transaction Reference", "AP1 appears twice in the file (rows 2 and 4)."),
        (5, "Transaction Reference", "AP1 appears twice in the file (rows 2 and 5)."),
    ]
    # Only the first copy is counted in the preview.
    summary = ImportSummary.of(batch)
    assert summary.recognised.count == 2
    assert summary.recognised.total == Decimal("30.00")
    assert [s.row for kind in imports.KINDS for s in summary.kind(kind).samples] == [2, 3]
    assert summary.problem_count == 2
    assert not LedgerRow.objects.exists()


def test_a_re_import_longer_than_one_look_up_counts_every_row_already_in_the_ledger(
    set_up, finance_officer, monkeypatch
):
    # References are looked up in the ledger a few rows at a time; make the chunk small so
    # this extract spans several, with rows already imported on both sides of each boundary.
    monkeypatch.setattr(imports, "LOOKUP_CHUNK", 3)
    first = csv_of(*(row(ref=f"AP{n}", amount="10.00") for n in range(1, 8)))
    import_actions.ledger_import_confirm(
        batch=upload(set_up, finance_officer, first), actor=finance_officer
    )
    second = csv_of(
        *(row(ref=f"AP{n}", amount="10.00") for n in range(5, 8)),
        *(row(ref=f"NEW{n}", amount="1.50") for n in range(1, 6)),
        row(ref="AP1", amount="10.00"),
    )
    batch = upload(set_up, finance_officer, second)
    summary = ImportSummary.of(batch)
    assert summary.duplicate.count == 4
    assert summary.duplicate.total == Decimal("40.00")
    assert summary.new_rows == 5
    assert [s.reference for s in summary.duplicate.samples] == [
        "AP5",
        "AP6",
        "AP7",
        "AP1",
    ]
    batch = import_actions.ledger_import_confirm(batch=batch, actor=finance_officer)
    assert batch.rows_imported == 5
    assert batch.total_imported == Decimal("7.50")
    assert ImportSummary.of(batch).duplicate.count == 4
    assert LedgerRow.objects.filter(active=True).count() == 12


def _bulk_row(batch, reference):
    return LedgerRowValues(
        batch_id=batch.pk,
        allocation_id=batch.allocation_id,
        source_row=2,
        posting_date=dt.date(2019, 5, 15),
        period=2,
        cost_centre="C21450",
        cost_centre_name="Programme",
        subjective="4010",
        subjective_name="Subscriptions",
        reference=reference,
        post_number="",
        description="Loaded in bulk",
        amount=Decimal("12.34"),
        line_id=None,
        rule_id=None,
        match=LedgerRow.Match.NONE,
        active=True,
    )


def test_rows_written_in_bulk_reach_the_ledger_and_its_kept_figures(
    set_up, finance_officer, committed
):
    batch = LedgerImport.objects.create(
        allocation=set_up, original_name="bulk.csv", uploaded_by=finance_officer
    )
    before = summaries.data_version(summaries.LEDGER)
    committed(
        lambda: import_actions.ledger_rows_insert(
            actor=finance_officer, rows=[_bulk_row(batch, "BULK1"), _bulk_row(batch, "BULK2")]
        )
    )
    assert sorted(LedgerRow.objects.values_list("reference", flat=True)) == ["BULK1", "BULK2"]
    assert LedgerRow.objects.first().amount == Decimal("12.34")
    assert summaries.data_version(summaries.LEDGER) > before


def test_a_lead_cannot_write_ledger_rows(set_up, finance_officer, lead):
    batch = LedgerImport.objects.create(
        allocation=set_up, original_name="bulk.csv", uploaded_by=finance_officer
    )
    with pytest.raises(PermissionDenied):
        import_actions.ledger_rows_insert(actor=lead, rows=[_bulk_row(batch, "BULK1")])
    assert not LedgerRow.objects.exists()


def test_cancelling_a_preview_says_so_and_a_second_cancel_is_refused_plainly(
    set_up, finance_officer, sample_bytes, client
):
    batch = upload(set_up, finance_officer, sample_bytes, "ledger-extract.csv")
    client.force_login(finance_officer)
    url = f"/budget/2019-20/imports/{batch.pk}/cancel/"
    page = client.post(url, follow=True).content.decode()
    assert "The import of ledger-extract.csv was cancelled: nothing was saved." in page
    batch.refresh_from_db()
    assert batch.status == LedgerImport.Status.CANCELLED
    assert not LedgerRow.objects.exists()
    # The button pressed again (a double click, or an old tab): a message, never an error page.
    again = client.post(url, follow=True)
    assert again.status_code == 200
    assert "Only an import waiting for confirmation can be cancelled." in again.content.decode()
