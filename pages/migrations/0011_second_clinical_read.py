"""Corrections after the second clinical read (../shared/SOURCES.md), and three new FAQ entries.

* The FDA's 2023 warning on ketamine at home, which the at-home page cites; Ketalar's labeler on
  DailyMed is Par Health USA, LLC.
* In the seeded FAQ answers, in both languages: chronic pain is pain of three months or longer;
  "usually well tolerated" keeps Niesters' condition (a benzodiazepine given with it); the claim
  that addiction risk is low, which Niesters' abstract does not make, goes. A sentence is replaced
  only where it still reads as seeded, so nothing staff wrote changes.
* FAQ entries on cost, driving home and the medicines to mention before a session, each cited.
"""

import datetime

from django.db import migrations

REVIEWED = datetime.date(2026, 12, 7)

FDA_2023 = {
    "key": "fda-2023-ketamine",
    "authors": "U.S. Food and Drug Administration",
    "title": (
        "FDA warns patients and health care providers about potential risks associated with "
        "compounded ketamine products, including oral formulations, for the treatment of "
        "psychiatric disorders"
    ),
    "journal": "FDA Drug Safety and Availability",
    "year": 2023,
    "url": (
        "https://www.fda.gov/drugs/human-drug-compounding/fda-warns-patients-and-health-care-"
        "providers-about-potential-risks-associated-compounded-ketamine"
    ),
}
KETALAR_LABELER = ("Par Pharmaceutical", "Par Health USA, LLC")

# (field, seeded sentence, corrected sentence)
SENTENCES = [
    (
        "answer",
        "Chronic pain lasts longer than three months.",
        "Chronic pain lasts three months or longer.",
    ),
    (
        "answer_es",
        "El dolor crónico dura más de tres meses.",
        "El dolor crónico dura tres meses o más.",
    ),
    (
        "answer",
        "used for pain are usually well tolerated.",
        "used for pain are usually well tolerated, mainly when a calming medicine (a "
        "benzodiazepine) is given with them.",
    ),
    (
        "answer_es",
        "las dosis bajas que se usan para el dolor por lo general se toleran bien.",
        "las dosis bajas que se usan para el dolor por lo general se toleran bien, sobre todo "
        "cuando se dan junto con un medicamento calmante (una benzodiacepina).",
    ),
    (
        "answer",
        "But the risk of addiction is low when a clinician gives small doses and watches you "
        "closely. It is not zero. So we ask about drug and alcohol use before treatment.",
        "People can come to depend on it. So a clinician gives small doses and watches you "
        "closely, and we ask about drug and alcohol use before treatment.",
    ),
    (
        "answer_es",
        "Pero el riesgo de adicción es bajo cuando un profesional de salud le da dosis pequeñas "
        "y lo vigila de cerca. No es cero. Por eso, antes del tratamiento, le preguntamos",
        "Una persona puede llegar a depender de ella. Por eso, un profesional de salud le da "
        "dosis pequeñas y lo vigila de cerca, y antes del tratamiento le preguntamos",
    ),
]
# The addiction answer no longer says anything Niesters 2014 is cited for.
ADDICTION_QUESTION = "I am worried about addiction. How does ketamine compare with opioids?"

NEW_FAQ = [
    {
        "question": "How much does treatment cost?",
        "answer": (
            '<p>Our prices are on our <a href="/cost/">cost page</a>, with an example for a '
            "full course. Many health plans do not pay for ketamine for chronic pain, because "
            "this use is off-label.</p>"
            "<p>If you pay for your care yourself, you have the right to a written Good Faith "
            "Estimate before you book. If your bill is $400 or more above it, you can dispute "
            "the bill.</p>"
        ),
        "question_es": "¿Cuánto cuesta el tratamiento?",
        "answer_es": (
            '<p>Nuestros precios están en nuestra <a href="/es/cost/">página de costos</a>, con '
            "un ejemplo para un tratamiento completo. Muchos planes de salud no pagan la ketamina "
            "para el dolor crónico, porque es un uso fuera de indicación.</p>"
            "<p>Si usted paga su propia atención, tiene derecho a una Estimación de buena fe por "
            "escrito antes de hacer su cita. Si su factura es $400 o más por encima de ella, "
            "puede disputar la factura.</p>"
        ),
        "references": ["goordeen-2022", "cfr-45-149-610", "cfr-45-149-620"],
    },
    {
        "question": "Can I drive after a session?",
        "answer": (
            "<p>No. The drug's label says not to drive, use machines or do anything risky for "
            "at least 24 hours after ketamine. Plan ahead if you need to go out the next day.</p>"
            "<p>Because we come to you, you do not need to travel after your session.</p>"
        ),
        "question_es": "¿Puedo manejar después de una sesión?",
        "answer_es": (
            "<p>No. La etiqueta del medicamento dice que no maneje, no use máquinas y no haga "
            "nada peligroso durante al menos 24 horas después de la ketamina. Planee cómo ir a "
            "donde necesite al día siguiente.</p>"
            "<p>Como vamos a su casa, usted no tiene que salir después de su sesión.</p>"
        ),
        "references": ["ketalar-label"],
    },
    {
        "question": "Which medicines should I tell you about before a session?",
        "answer": (
            "<p>Tell us about every medicine you take, including ones you buy without a "
            "prescription, and about alcohol and drug use.</p>"
            "<p>The drug's label says ketamine can slow your breathing more when it is taken with "
            "opioids, benzodiazepines (calming medicines) or other medicines that make you "
            "sleepy. It also names other medicines that may not mix well with it. Your clinician "
            "checks your list and tells you what to do.</p>"
        ),
        "question_es": "¿Qué medicamentos debo decirles antes de una sesión?",
        "answer_es": (
            "<p>Díganos todos los medicamentos que toma, también los que compra sin receta, y si "
            "toma alcohol o usa drogas.</p>"
            "<p>La etiqueta del medicamento dice que la ketamina puede hacer que respire más "
            "lento si se toma con opioides, benzodiacepinas (medicamentos calmantes) u otros "
            "medicamentos que dan sueño. También nombra otros medicamentos que pueden no "
            "llevarse bien con ella. Su profesional de salud revisa su lista y le dice qué "
            "hacer.</p>"
        ),
        "references": ["ketalar-label"],
    },
]


def correct(apps, schema_editor):
    Reference = apps.get_model("pages", "Reference")
    FaqEntry = apps.get_model("pages", "FaqEntry")
    Reference.objects.update_or_create(key=FDA_2023["key"], defaults=FDA_2023)
    Reference.objects.filter(key="ketalar-label", authors=KETALAR_LABELER[0]).update(
        authors=KETALAR_LABELER[1]
    )
    for entry in FaqEntry.objects.all():
        changed = []
        for field, seeded, corrected in SENTENCES:
            text = getattr(entry, field)
            if seeded in text:
                setattr(entry, field, text.replace(seeded, corrected))
                changed.append(field)
        if changed:
            entry.save(update_fields=changed)
            if entry.question == ADDICTION_QUESTION and "answer" in changed:
                entry.references.remove(*Reference.objects.filter(key="niesters-2014"))
    last = FaqEntry.objects.order_by("-order").values_list("order", flat=True).first() or 0
    for position, item in enumerate(NEW_FAQ, start=1):
        if FaqEntry.objects.filter(question=item["question"]).exists():
            continue
        entry = FaqEntry.objects.create(
            question=item["question"],
            answer=item["answer"],
            question_es=item["question_es"],
            answer_es=item["answer_es"],
            order=last + position * 10,
            published=True,
            last_reviewed=REVIEWED,
        )
        entry.references.set(Reference.objects.filter(key__in=item["references"]))


def restore(apps, schema_editor):
    Reference = apps.get_model("pages", "Reference")
    FaqEntry = apps.get_model("pages", "FaqEntry")
    FaqEntry.objects.filter(
        question__in=[item["question"] for item in NEW_FAQ],
        answer__in=[item["answer"] for item in NEW_FAQ],
    ).delete()
    for entry in FaqEntry.objects.all():
        changed = []
        for field, seeded, corrected in SENTENCES:
            text = getattr(entry, field)
            if corrected in text:
                setattr(entry, field, text.replace(corrected, seeded))
                changed.append(field)
        if changed:
            entry.save(update_fields=changed)
    Reference.objects.filter(key="ketalar-label", authors=KETALAR_LABELER[1]).update(
        authors=KETALAR_LABELER[0]
    )
    Reference.objects.filter(key=FDA_2023["key"], faq_entries=None).delete()


class Migration(migrations.Migration):
    dependencies = [("pages", "0010_clinic_profile_from_settings")]

    operations = [migrations.RunPython(correct, restore)]
