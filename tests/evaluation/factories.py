import datetime as dt

import factory
from django.utils import timezone

from evaluation.models import (
    ActivityKind,
    AuditResult,
    EvaluationActivity,
    EvaluationStrand,
    Finding,
    Inspection,
    Recommendation,
)


def days_ago(n: int) -> dt.date:
    return timezone.localdate() - dt.timedelta(days=n)


def strand(programme, slug="practice-week-qa-audits"):
    return EvaluationStrand.objects.get(programme=programme, slug=slug)


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EvaluationActivity
        skip_postgeneration_save = True

    strand = factory.LazyAttribute(lambda o: strand(o.programme))
    kind = ActivityKind.QA_AUDIT
    title = factory.Sequence(lambda n: f"QA audit {n}")
    start_date = factory.LazyFunction(lambda: days_ago(30))
    lead_name = "Head of Service, Quality Assurance"

    @factory.post_generation
    def themes(self, create, extracted, **kwargs):
        if create and extracted:
            self.themes.set(extracted)


class AuditResultFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AuditResult

    activity = factory.SubFactory(ActivityFactory)
    date = factory.LazyFunction(lambda: days_ago(20))
    outstanding = 1
    good = 5
    requires_improvement = 3
    inadequate = 1
    cases_audited = factory.LazyAttribute(
        lambda o: o.outstanding + o.good + o.requires_improvement + o.inadequate
    )


class FindingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Finding
        skip_postgeneration_save = True

    activity = factory.SubFactory(ActivityFactory)
    kind = Finding.Kind.AREA_FOR_IMPROVEMENT
    title = factory.Sequence(lambda n: f"Finding {n}")
    recorded_on = factory.LazyFunction(lambda: days_ago(10))

    @factory.post_generation
    def themes(self, create, extracted, **kwargs):
        if create and extracted:
            self.themes.set(extracted)


class InspectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Inspection

    kind = Inspection.Kind.FOCUSED_VISIT
    title = factory.Sequence(lambda n: f"Focused visit {n}")
    start_date = factory.LazyFunction(lambda: days_ago(40))


class RecommendationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Recommendation
        skip_postgeneration_save = True

    inspection = factory.SubFactory(InspectionFactory)
    text = factory.Sequence(lambda n: f"Recommendation {n}")

    @factory.post_generation
    def themes(self, create, extracted, **kwargs):
        if create and extracted:
            self.themes.set(extracted)
