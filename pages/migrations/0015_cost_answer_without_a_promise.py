"""The FAQ's cost answer no longer promises prices the cost page may not have yet.

A new clinic's profile has no prices until a manager enters them; the cost page then explains how
paying works and the Good Faith Estimate. Replaced only where it still reads as seeded.
"""

from django.db import migrations

SENTENCES = [
    (
        "answer",
        '<p>Our prices are on our <a href="/cost/">cost page</a>, with an example for a '
        "full course.",
        '<p>Our <a href="/cost/">cost page</a> explains how paying for treatment works.',
    ),
    (
        "answer_es",
        '<p>Nuestros precios están en nuestra <a href="/es/cost/">página de costos</a>, con '
        "un ejemplo para un tratamiento completo.",
        '<p>Nuestra <a href="/es/cost/">página de costos</a> explica cómo se paga el tratamiento.',
    ),
]


def _replace(apps, forward: bool) -> None:
    FaqEntry = apps.get_model("pages", "FaqEntry")
    for entry in FaqEntry.objects.all():
        changed = []
        for field, seeded, corrected in SENTENCES:
            old, new = (seeded, corrected) if forward else (corrected, seeded)
            text = getattr(entry, field)
            if old in text:
                setattr(entry, field, text.replace(old, new))
                changed.append(field)
        if changed:
            entry.save(update_fields=changed)


def correct(apps, schema_editor):
    _replace(apps, forward=True)


def restore(apps, schema_editor):
    _replace(apps, forward=False)


class Migration(migrations.Migration):
    dependencies = [("pages", "0014_clinic_facts_checked_as_typed")]

    operations = [migrations.RunPython(correct, restore)]
