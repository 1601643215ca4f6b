import datetime as dt

import factory
from django.utils import timezone

from board.models import Action, Meeting
from tests.factories import UserFactory


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    date = factory.Sequence(lambda n: dt.date(2026, 1, 5) + dt.timedelta(weeks=4 * n))
    start_time = dt.time(10, 0)
    venue = "Town Hall, Romford, Committee Room 2"
    online_link = "https://teams.example/meet/board"
    chair = "Director of Children's Services"


class ActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Action

    description = factory.Sequence(lambda n: f"Action number {n}")
    owner = factory.SubFactory(UserFactory)
    due_date = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=30))
