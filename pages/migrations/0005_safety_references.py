"""Sources for the safety, controlled-substance and pain-mechanism facts (../shared/SOURCES.md,
"Corrections after the first clinical read of the site"); staff may correct them in the admin."""

from django.db import migrations

REFERENCES = [
    {
        "key": "kosek-2016",
        "authors": "Kosek E, Cohen M, Baron R, Gebhart GF, Mico JA, Rice ASC, Rief W, Sluka AK",
        "title": "Do we need a third mechanistic descriptor for chronic pain states?",
        "journal": "Pain",
        "year": 2016,
        "volume": "157(7)",
        "pages": "1382-1386",
        "doi": "10.1097/j.pain.0000000000000507",
        "pmid": "26835783",
    },
    {
        "key": "cfr-21-1308-13",
        "authors": "U.S. Drug Enforcement Administration, Department of Justice",
        "title": "21 CFR 1308.13: Schedule III",
        "journal": "Code of Federal Regulations",
        "year": 1999,
        "url": "https://www.ecfr.gov/current/title-21/section-1308.13",
    },
    {
        "key": "ketalar-label",
        "authors": "Par Pharmaceutical",
        "title": (
            "KETALAR (ketamine hydrochloride) injection, for intravenous or intramuscular use: "
            "prescribing information"
        ),
        "journal": "DailyMed, U.S. National Library of Medicine",
        "year": 2024,
        "url": (
            "https://dailymed.nlm.nih.gov/dailymed/drugInfo.cfm?"
            "setid=14e8f864-8b8a-4e7e-8439-e510d3107063"
        ),
    },
]


def add_references(apps, schema_editor):
    Reference = apps.get_model("pages", "Reference")
    for fields in REFERENCES:
        Reference.objects.update_or_create(key=fields["key"], defaults=fields)


def remove_references(apps, schema_editor):
    Reference = apps.get_model("pages", "Reference")
    Reference.objects.filter(key__in=[fields["key"] for fields in REFERENCES]).delete()


class Migration(migrations.Migration):
    dependencies = [("pages", "0004_clinician")]

    operations = [migrations.RunPython(add_references, remove_references)]
