"""FAQ answers corrected after the first clinical read (../shared/SOURCES.md).

Home care is the clinic's own way of working, not something the guideline studied; the relief seen
in multi-day studies is not the result of the clinic's 6-session course; who should not have
ketamine is said with the guideline's own strength of words. An answer staff have already edited
is left as it is.
"""

import datetime
import importlib

from django.db import migrations

UPDATED = datetime.date(2026, 11, 30)
SEEDED = {
    item["question"]: item for item in importlib.import_module("pages.migrations.0003_seed_faq").FAQ
}

CORRECTIONS = [
    {
        "question": "How safe is ketamine, and who is a good fit?",
        "answer": (
            "<p>Ketamine has been used for anesthesia for decades. In medical care, the low doses "
            "used for pain are usually well tolerated. Side effects can include feeling dreamy "
            "or detached, seeing or hearing things that are not there, nausea, sleepiness, and a "
            "rise in blood pressure and heart rate. That is why a clinician stays with you.</p>"
            "<p>Ketamine is not right for everyone. Experts say it should not be used by people "
            "with heart disease or high blood pressure that is not well controlled. They say to "
            "avoid it in pregnancy, in active psychosis and in severe liver disease. High "
            "pressure in the eye or brain calls for great care. People with an active drug or "
            "alcohol problem should not have it again and again. Our screening helps a clinician "
            "decide if ketamine may suit you.</p>"
        ),
        "references": ["niesters-2014", "cohen-2018"],
    },
    {
        "question": "Who should give ketamine treatment?",
        "answer": (
            "<p>Experts advise that the team giving a ketamine infusion can handle an emergency. "
            "They also advise checks of your blood pressure, heart rate and oxygen level during "
            "the infusion.</p>"
            "<p>At AVYIA, a licensed clinician gives each infusion in your home and stays with "
            "you the whole time. Care at home is our own way of working. The experts wrote their "
            "advice for infusions in general; they did not study care at home.</p>"
        ),
        "references": ["cohen-2018"],
    },
    {
        "question": "What happens after my first course of treatment?",
        "answer": (
            "<p>Our standard first course is 6 sessions. This is our own plan. The studies used "
            "other plans, often with ketamine given over several days in a row. After the course, "
            "you and your clinician look at how your pain and daily life have changed.</p>"
            "<p>Relief can fade over time. In studies of complex regional pain syndrome that gave "
            "ketamine over several days, relief lasted up to about 12 weeks. Some people need a "
            "&ldquo;booster&rdquo; session now and then to keep their relief. If ketamine is not "
            "helping you, we stop it and talk with you about other care.</p>"
        ),
        "references": ["cohen-2018"],
    },
]


def correct_faq(apps, schema_editor):
    FaqEntry = apps.get_model("pages", "FaqEntry")
    Reference = apps.get_model("pages", "Reference")
    for item in CORRECTIONS:
        seeded = SEEDED[item["question"]]
        entry = FaqEntry.objects.filter(question=item["question"], answer=seeded["answer"]).first()
        if entry is None:
            continue
        entry.answer = item["answer"]
        entry.last_reviewed = UPDATED
        entry.save(update_fields=["answer", "last_reviewed"])
        entry.references.set(Reference.objects.filter(key__in=item["references"]))


def restore_faq(apps, schema_editor):
    FaqEntry = apps.get_model("pages", "FaqEntry")
    Reference = apps.get_model("pages", "Reference")
    for item in CORRECTIONS:
        seeded = SEEDED[item["question"]]
        entry = FaqEntry.objects.filter(question=item["question"], answer=item["answer"]).first()
        if entry is None:
            continue
        entry.answer = seeded["answer"]
        entry.save(update_fields=["answer"])
        entry.references.set(Reference.objects.filter(key__in=seeded["references"]))


class Migration(migrations.Migration):
    dependencies = [("pages", "0005_safety_references")]

    operations = [migrations.RunPython(correct_faq, restore_faq)]
