"""The documents: the Word document read back with python-docx (heading levels, a table's
repeating header row, each chart's alternative text) and the PDF's tags read with pikepdf."""

import io

import pikepdf
import pytest
from django.urls import reverse
from docx import Document
from docx.oxml.ns import qn

from selfevaluation import documents
from selfevaluation.actions import claims as claims_actions
from selfevaluation.actions import review as review_actions


@pytest.fixture
def signed_off(programme_manager, signer, self_evaluation, leaders_section):
    claims_actions.claim_add(
        actor=programme_manager,
        section=leaders_section,
        kind="strength",
        sentence="Supervision audits are improving.",
        evidence=leaders_section.evidence.filter(kind__in=["audit", "measure"]),
    )
    self_evaluation.refresh_from_db()
    review_actions.self_evaluation_submit(
        actor=programme_manager, self_evaluation=self_evaluation, version=self_evaluation.version
    )
    self_evaluation.refresh_from_db()
    return review_actions.self_evaluation_sign_off(
        actor=signer, self_evaluation=self_evaluation, version=self_evaluation.version
    )


def test_the_word_document_has_real_headings_header_rows_and_alt_text(
    client, programme_manager, signed_off
):
    client.force_login(programme_manager)
    response = client.get(reverse("selfevaluation:version_docx", args=[signed_off.pk]))
    assert response["Content-Disposition"].endswith('version-2.docx"')
    document = Document(io.BytesIO(response.content))
    headings = [(p.style.name, p.text) for p in document.paragraphs if "Heading" in p.style.name]
    assert (
        "Heading 1",
        "The impact of leaders on social work practice with children and families",
    ) in headings
    assert ("Heading 2", "How do we know it?") in headings
    assert ("Heading 1", "Appendix: the evidence and where to find it") in headings
    assert document.core_properties.title.endswith("self-evaluation 2026/27")
    for table in document.tables:
        header = table.rows[0]._tr.trPr
        assert header is not None and header.find(qn("w:tblHeader")) is not None
    appendix = document.tables[-1]
    assert [c.text for c in appendix.rows[0].cells] == ["Ref", "Evidence", "Source"]
    assert len(appendix.rows) > 1
    shapes = list(document.inline_shapes)
    assert shapes, "the measure's chart is in the document"
    alt = shapes[0]._inline.docPr.get("descr")
    assert alt.startswith("Supervision audits graded good or better: 1 reading")
    links = [r.target_ref for r in document.part.rels.values() if r.is_external]
    assert any("/evaluation/activities/" in link for link in links)


def test_the_pdf_is_tagged_with_headings_tables_and_figures_with_alt_text(signed_off):
    pdf = pikepdf.open(io.BytesIO(documents.pdf(signed_off)))
    root = pdf.Root
    assert root.MarkInfo.Marked is True
    assert str(root.Lang).startswith("en")
    kinds, alts = set(), []

    def walk(node):
        if isinstance(node, pikepdf.Array):
            for kid in node:
                walk(kid)
            return
        if not isinstance(node, pikepdf.Dictionary):
            return
        if "/S" in node:
            kinds.add(str(node.S))
            if str(node.S) == "/Figure":
                alts.append(str(node.get("/Alt", "")))
        if "/K" in node:
            walk(node.K)

    walk(root.StructTreeRoot)
    assert {"/H1", "/H2", "/H3", "/Table", "/TH", "/Figure"} <= kinds
    assert alts and all(alt.startswith("Supervision audits graded") for alt in alts)
