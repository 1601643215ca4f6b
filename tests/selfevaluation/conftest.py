import datetime as dt
import shutil
from decimal import Decimal

import pytest
from django.utils import timezone

from evaluation.models import JudgementArea
from havering_improve import roles
from selfevaluation.actions import grants as grants_actions
from selfevaluation.actions import self_evaluations as self_evaluations_actions
from tests.evaluation.factories import (
    ActivityFactory,
    AuditResultFactory,
    FindingFactory,
    InspectionFactory,
    RecommendationFactory,
    days_ago,
)
from tests.factories import UserFactory
from tests.themes.factories import MeasureFactory, MeasureReadingFactory


@pytest.fixture(autouse=True)
def _media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    yield
    shutil.rmtree(tmp_path / "media", ignore_errors=True)


@pytest.fixture
def leaders(programme, theme):
    """The ILACS area "the impact of leaders", answered by the Supervision theme."""
    area = JudgementArea.objects.get(framework="ILACS", slug="leaders")
    area.themes.set([theme])
    return area


@pytest.fixture
def signer(programme, programme_manager):
    """The Director of Children's Services: a board member given the Sign-off permission."""
    user = UserFactory(
        username="dcs", first_name="Angela", last_name="Morrison", roles=[roles.BOARD_MEMBER]
    )
    grants_actions.sign_off_grant(
        actor=programme_manager,
        programme=programme,
        user=user,
        role_title="Director of Children's Services",
        granted_on=days_ago(30),
    )
    return user


@pytest.fixture
def evidence_data(programme, theme, leaders):
    """One of each kind of evidence about Supervision, all before today."""
    audit = ActivityFactory(programme=programme, title="Autumn audit", completed_on=days_ago(25))
    result = AuditResultFactory(activity=audit, theme=theme, date=days_ago(25))
    finding = FindingFactory(
        activity=audit, themes=[theme], title="Supervision is rarely reflective"
    )
    visit = InspectionFactory(programme=programme, title="Focused visit", start_date=days_ago(40))
    recommendation = RecommendationFactory(
        inspection=visit, themes=[theme], text="Record supervision on the child's file"
    )
    measure = MeasureFactory(
        theme=theme,
        name="Supervision audits graded good or better",
        baseline_value=Decimal("48"),
        baseline_date=dt.date(2018, 6, 1),
        target_value=Decimal("80"),
    )
    reading = MeasureReadingFactory(measure=measure, value=Decimal("62"), date=days_ago(50))
    return {
        "audit": result,
        "finding": finding,
        "recommendation": recommendation,
        "measure": measure,
        "reading": reading,
    }


@pytest.fixture
def self_evaluation(programme, programme_manager, signer, evidence_data):
    return self_evaluations_actions.self_evaluation_start(
        actor=programme_manager,
        programme=programme,
        year="2026/27",
        as_of=timezone.localdate(),
        reviewer=signer,
    )


@pytest.fixture
def leaders_section(self_evaluation, leaders):
    return self_evaluation.sections.get(area=leaders)
