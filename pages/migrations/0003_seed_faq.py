"""The questions the clinic's original page answered, in plain words and corrected against sources.

Staff edit these in the admin afterwards; this only gives a new site its first answers.
"""

import datetime

from django.db import migrations

REVIEWED = datetime.date(2026, 11, 25)

FAQ = [
    {
        "question": "What is the difference between acute pain and chronic pain?",
        "answer": (
            "<p>Acute pain is the body's alarm. It comes on fast after an injury, such as a cut or "
            "a burn. It can be strong, but it fades as the body heals.</p>"
            "<p>Chronic pain lasts longer than three months. It can go on after an injury has "
            "healed. Hurt nerves may keep sending pain signals. The nervous system can also "
            "become more sensitive, so pain signals feel louder over time.</p>"
        ),
        "references": ["rikard-2023", "niesters-2014"],
    },
    {
        "question": "What treatments are there for chronic pain?",
        "answer": (
            "<p>There are many. They include medicines, physical therapy, massage, injections and "
            "surgery. In 2019, physical therapy and massage were the most common ways people in "
            "the U.S. managed chronic pain. Newer options include ketamine therapy.</p>"
            "<p>The right plan depends on the cause of your pain and on your health. Talk it "
            "over with your own doctor. If other treatments have not helped, ketamine may be "
            "worth asking about. It is one choice among many, not a cure.</p>"
        ),
        "references": ["yong-2022", "niesters-2014"],
    },
    {
        "question": "I am worried about addiction. How does ketamine compare with opioids?",
        "answer": (
            "<p>That worry makes sense. In 2017, about 47,600 people in the U.S. died from "
            "overdoses that involved opioids. That is about 130 people each day.</p>"
            "<p>Ketamine can be misused too. But the risk of addiction is low when a clinician "
            "gives small doses and watches you closely. It is not zero. So we ask about drug and "
            "alcohol use before treatment. Experts advise against repeated ketamine treatment "
            "for people with an active drug or alcohol problem.</p>"
        ),
        "references": ["scholl-2019", "niesters-2014", "cohen-2018"],
    },
    {
        "question": "How safe is ketamine, and who is a good fit?",
        "answer": (
            "<p>Ketamine has been used for anesthesia for decades. In medical care, the low doses "
            "used for pain are usually well tolerated. Side effects can include feeling dreamy "
            "or detached, seeing or hearing things that are not there, nausea, sleepiness, and a "
            "rise in blood pressure and heart rate. That is why a clinician stays with you.</p>"
            "<p>Ketamine is not right for everyone. A clinician must review your care first if "
            "you have heart disease or high blood pressure that is not well controlled. The same "
            "goes for a history of psychosis, severe liver disease, high pressure in the eye or "
            "brain, or an active drug or alcohol problem. We also ask about pregnancy and "
            "breastfeeding. Our screening helps a clinician decide if ketamine may suit you.</p>"
        ),
        "references": ["niesters-2014", "cohen-2018"],
    },
    {
        "question": "Who should give ketamine treatment?",
        "answer": (
            "<p>A licensed clinician who knows the drug well and can handle an emergency. Many "
            "have trained in anesthesia, emergency medicine or psychiatry. Experts advise close "
            "checks of your heart, blood pressure and breathing during each treatment.</p>"
            "<p>With us, a licensed clinician stays with you for the whole session. They check "
            "your blood pressure, heart rate and oxygen level the whole time.</p>"
        ),
        "references": ["cohen-2018", "niesters-2014"],
    },
    {
        "question": "Does ketamine have long-term effects? What about the bladder?",
        "answer": (
            "<p>Bladder and kidney problems have been reported. Most cases were in people who "
            "took large amounts often, outside of medical care. It is hard to know what this "
            "means for medical use, where doses are smaller and less frequent. Memory problems "
            "have also been seen with heavy use outside of medical care.</p>"
            "<p>In studies of ketamine for pain, a small number of people had liver problems. "
            "Research on long-term medical use is still limited. So we check on you all through "
            "your treatment. Tell your clinician right away if it hurts to pass urine, you see "
            "blood in your urine, or you need to go much more often.</p>"
        ),
        "references": ["niesters-2014"],
    },
    {
        "question": "What happens after my first course of treatment?",
        "answer": (
            "<p>A standard first course is 6 sessions. After that, you and your clinician look "
            "at how your pain and daily life have changed.</p>"
            "<p>Relief can fade over time. In studies of complex regional pain syndrome, relief "
            "lasted up to about 12 weeks. Some people stay well for a long time. Others need a "
            "&ldquo;booster&rdquo; session now and then to keep their relief. You decide "
            "together if and when you need one.</p>"
        ),
        "references": ["cohen-2018"],
    },
]


def add_faq(apps, schema_editor):
    FaqEntry = apps.get_model("pages", "FaqEntry")
    Reference = apps.get_model("pages", "Reference")
    for position, item in enumerate(FAQ, start=1):
        entry, _ = FaqEntry.objects.update_or_create(
            question=item["question"],
            defaults={
                "answer": item["answer"],
                "order": position * 10,
                "published": True,
                "last_reviewed": REVIEWED,
            },
        )
        entry.references.set(Reference.objects.filter(key__in=item["references"]))


def remove_faq(apps, schema_editor):
    FaqEntry = apps.get_model("pages", "FaqEntry")
    FaqEntry.objects.filter(question__in=[item["question"] for item in FAQ]).delete()


class Migration(migrations.Migration):
    dependencies = [("pages", "0002_seed_references")]

    operations = [migrations.RunPython(add_faq, remove_faq)]
