from __future__ import annotations

from datetime import timedelta

import factory
from django.utils import timezone

from incidents.models import Category, Crew, CrewKind, CrewMember, Priority, Shift, Trade


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"category-{n}")
    group = "voirie"
    label_fr = factory.Sequence(lambda n: f"Catégorie {n}")
    label_en = factory.Sequence(lambda n: f"Category {n}")
    icon = "road"
    default_priority = Priority.NORMAL
    sla_minutes = 24 * 60


class TradeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Trade
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"trade-{n}")
    label_fr = factory.Sequence(lambda n: f"Métier {n}")
    label_en = factory.Sequence(lambda n: f"Trade {n}")
    precedence = 50


class CrewFactory(factory.django.DjangoModelFactory):
    """A crew on shift now (for eight hours), at a fresh position in Dijon."""

    class Meta:
        model = Crew
        django_get_or_create = ("code",)
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"crew-{n}")
    name = factory.Sequence(lambda n: f"Équipe {n}")
    kind = CrewKind.CREW
    lat = 47.3220
    lon = 5.0415
    position_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def trades(self, create: bool, extracted: list[Trade] | None, **kwargs: object) -> None:
        if create and extracted:
            self.trades.set(extracted)

    @factory.post_generation
    def on_shift(self, create: bool, extracted: bool | None, **kwargs: object) -> None:
        if create and extracted is not False:
            now = timezone.now()
            Shift.objects.create(
                crew=self, starts_at=now - timedelta(hours=1), ends_at=now + timedelta(hours=8)
            )


class CrewMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CrewMember

    crew = factory.SubFactory(CrewFactory)
