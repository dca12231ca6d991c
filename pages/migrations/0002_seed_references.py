"""The checked sources the pages cite (../shared/SOURCES.md); staff may correct them in the admin."""

from django.db import migrations

REFERENCES = [
    {
        "key": "goordeen-2022",
        "authors": "Goordeen A, Zemmedhun G, Abd-Elsayed A, Yolland M",
        "title": "Ketamine infusion and its role in chronic pain",
        "journal": "ASRA Pain Medicine News",
        "year": 2022,
        "volume": "47",
        "doi": "10.52211/asra080122.036",
    },
    {
        "key": "niesters-2014",
        "authors": "Niesters M, Martini C, Dahan A",
        "title": "Ketamine for chronic pain: risks and benefits",
        "journal": "British Journal of Clinical Pharmacology",
        "year": 2014,
        "volume": "77(2)",
        "pages": "357-367",
        "doi": "10.1111/bcp.12094",
        "pmid": "23432384",
        "pmcid": "PMC4014022",
    },
    {
        "key": "yong-2022",
        "authors": "Yong RJ, Mullins PM, Bhattacharyya N",
        "title": "Prevalence of chronic pain among adults in the United States",
        "journal": "Pain",
        "year": 2022,
        "volume": "163(2)",
        "pages": "e328-e332",
        "doi": "10.1097/j.pain.0000000000002291",
        "pmid": "33990113",
    },
    {
        "key": "dahlhamer-2018",
        "authors": (
            "Dahlhamer J, Lucas J, Zelaya C, Nahin R, Mackey S, DeBar L, Kerns R, Von Korff M, "
            "Porter L, Helmick C"
        ),
        "title": (
            "Prevalence of chronic pain and high-impact chronic pain among adults: "
            "United States, 2016"
        ),
        "journal": "MMWR Morbidity and Mortality Weekly Report",
        "year": 2018,
        "volume": "67(36)",
        "pages": "1001-1006",
        "doi": "10.15585/mmwr.mm6736a2",
        "pmid": "30212442",
        "pmcid": "PMC6146950",
    },
    {
        "key": "rikard-2023",
        "authors": "Rikard SM, Strahan AE, Schmit KM, Guy GP Jr",
        "title": "Chronic pain among adults: United States, 2019-2021",
        "journal": "MMWR Morbidity and Mortality Weekly Report",
        "year": 2023,
        "volume": "72(15)",
        "pages": "379-385",
        "doi": "10.15585/mmwr.mm7215a1",
        "pmid": "37053114",
        "pmcid": "PMC10121254",
    },
    {
        "key": "zelaya-2020",
        "authors": "Zelaya CE, Dahlhamer JM, Lucas JW, Connor EM",
        "title": "Chronic pain and high-impact chronic pain among U.S. adults, 2019",
        "journal": "NCHS Data Brief, no. 390. National Center for Health Statistics",
        "year": 2020,
        "pages": "1-8",
        "pmid": "33151145",
        "url": "https://www.cdc.gov/nchs/products/databriefs/db390.htm",
    },
    {
        "key": "bair-2003",
        "authors": "Bair MJ, Robinson RL, Katon W, Kroenke K",
        "title": "Depression and pain comorbidity: a literature review",
        "journal": "Archives of Internal Medicine",
        "year": 2003,
        "volume": "163(20)",
        "pages": "2433-2445",
        "doi": "10.1001/archinte.163.20.2433",
        "pmid": "14609780",
    },
    {
        "key": "hoy-2014",
        "authors": (
            "Hoy D, March L, Brooks P, Blyth F, Woolf A, Bain C, Williams G, Smith E, Vos T, "
            "Barendregt J, Murray C, Burstein R, Buchbinder R"
        ),
        "title": (
            "The global burden of low back pain: estimates from the Global Burden of Disease "
            "2010 study"
        ),
        "journal": "Annals of the Rheumatic Diseases",
        "year": 2014,
        "volume": "73(6)",
        "pages": "968-974",
        "doi": "10.1136/annrheumdis-2013-204428",
        "pmid": "24665116",
    },
    {
        "key": "scholl-2019",
        "authors": "Scholl L, Seth P, Kariisa M, Wilson N, Baldwin G",
        "title": "Drug and opioid-involved overdose deaths: United States, 2013-2017",
        "journal": "MMWR Morbidity and Mortality Weekly Report",
        "year": 2019,
        "volume": "67(51-52)",
        "pages": "1419-1427",
        "doi": "10.15585/mmwr.mm675152e1",
        "pmid": "30605448",
        "pmcid": "PMC6334822",
    },
    {
        "key": "cohen-2018",
        "authors": (
            "Cohen SP, Bhatia A, Buvanendran A, Schwenk ES, Wasan AD, Hurley RW, Viscusi ER, "
            "Narouze S, Davis FN, Ritchie EC, Lubenow TR, Hooten WM"
        ),
        "title": (
            "Consensus guidelines on the use of intravenous ketamine infusions for chronic pain "
            "from the American Society of Regional Anesthesia and Pain Medicine, the American "
            "Academy of Pain Medicine, and the American Society of Anesthesiologists"
        ),
        "journal": "Regional Anesthesia and Pain Medicine",
        "year": 2018,
        "volume": "43(5)",
        "pages": "521-546",
        "doi": "10.1097/AAP.0000000000000808",
        "pmid": "29870458",
        "pmcid": "PMC6023575",
    },
    {
        "key": "krebs-2009",
        "authors": (
            "Krebs EE, Lorenz KA, Bair MJ, Damush TM, Wu J, Sutherland JM, Asch SM, Kroenke K"
        ),
        "title": (
            "Development and initial validation of the PEG, a three-item scale assessing pain "
            "intensity and interference"
        ),
        "journal": "Journal of General Internal Medicine",
        "year": 2009,
        "volume": "24(6)",
        "pages": "733-738",
        "doi": "10.1007/s11606-009-0981-1",
        "pmid": "19418100",
        "pmcid": "PMC2686775",
    },
    {
        "key": "kroenke-2003",
        "authors": "Kroenke K, Spitzer RL, Williams JBW",
        "title": "The Patient Health Questionnaire-2: validity of a two-item depression screener",
        "journal": "Medical Care",
        "year": 2003,
        "volume": "41(11)",
        "pages": "1284-1292",
        "doi": "10.1097/01.MLR.0000093487.78664.3C",
        "pmid": "14583691",
    },
    {
        "key": "rcw-19-373",
        "authors": "Washington State Legislature",
        "title": "Chapter 19.373 RCW: Washington My Health My Data Act",
        "journal": "Revised Code of Washington",
        "year": 2023,
        "url": "https://app.leg.wa.gov/RCW/default.aspx?cite=19.373",
    },
    {
        "key": "cfr-45-149-610",
        "authors": "U.S. Department of Health and Human Services",
        "title": (
            "45 CFR 149.610: Requirements for provision of good faith estimates of expected "
            "charges for uninsured (or self-pay) individuals"
        ),
        "journal": "Code of Federal Regulations",
        "year": 2021,
        "url": (
            "https://www.ecfr.gov/current/title-45/subtitle-A/subchapter-B/part-149/"
            "subpart-G/section-149.610"
        ),
    },
    {
        "key": "cfr-45-149-620",
        "authors": "U.S. Department of Health and Human Services",
        "title": "45 CFR 149.620: Requirements for the patient-provider dispute resolution process",
        "journal": "Code of Federal Regulations",
        "year": 2021,
        "url": (
            "https://www.ecfr.gov/current/title-45/subtitle-A/subchapter-B/part-149/"
            "subpart-G/section-149.620"
        ),
    },
    {
        "key": "cfr-45-164-312",
        "authors": "U.S. Department of Health and Human Services",
        "title": "45 CFR 164.312: Technical safeguards (HIPAA Security Rule)",
        "journal": "Code of Federal Regulations",
        "year": 2003,
        "url": (
            "https://www.ecfr.gov/current/title-45/subtitle-A/subchapter-C/part-164/"
            "subpart-C/section-164.312"
        ),
    },
    {
        "key": "hhs-ocr-tracking-2024",
        "authors": "U.S. Department of Health and Human Services, Office for Civil Rights",
        "title": (
            "Use of online tracking technologies by HIPAA covered entities and business associates"
        ),
        "journal": "HHS guidance bulletin",
        "year": 2024,
        "url": (
            "https://www.hhs.gov/hipaa/for-professionals/privacy/guidance/"
            "hipaa-online-tracking/index.html"
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
    dependencies = [("pages", "0001_initial")]

    operations = [migrations.RunPython(add_references, remove_references)]
