from __future__ import annotations

import factory

from incidents.models import Category, Priority


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
