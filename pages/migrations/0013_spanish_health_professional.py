"""The Spanish FAQ answers say "profesional de la salud", as the pages now do.

Only the seeded wording changes: each answer and question has "profesional de salud" replaced
where it still appears, so whatever staff wrote otherwise stays as it is.
"""

from django.db import migrations

OLD, NEW = "profesional de salud", "profesional de la salud"


def spanish_wording(apps, schema_editor, old=OLD, new=NEW):
    FaqEntry = apps.get_model("pages", "FaqEntry")
    for entry in FaqEntry.objects.all():
        question, answer = entry.question_es.replace(old, new), entry.answer_es.replace(old, new)
        if (question, answer) != (entry.question_es, entry.answer_es):
            FaqEntry.objects.filter(pk=entry.pk).update(question_es=question, answer_es=answer)


def previous_wording(apps, schema_editor):
    spanish_wording(apps, schema_editor, old=NEW, new=OLD)


class Migration(migrations.Migration):
    dependencies = [("pages", "0012_counties_served")]

    operations = [migrations.RunPython(spanish_wording, previous_wording)]
