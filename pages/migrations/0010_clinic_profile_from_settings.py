"""The clinic profile starts from the settings that held its facts until now.

The environment variables CLINIC_PHONE, CLINIC_EMAIL, CLINIC_OPENING_HOURS, INFUSION_DURATION,
INFUSION_FASTING_RULE, INFUSION_COMPANION_RULE (each with its _ES) and PRICE_PER_SESSION /
PRICE_PER_COURSE are read once, as the settings read them; a site that set them keeps its facts.
The old defaults were placeholders (a 555 number, an example.org address): they are not copied, so
a new database has an empty profile until a manager fills it. Managers may view and change it.
"""

import os
import re
from decimal import Decimal, InvalidOperation

from django.contrib.auth.management import create_permissions
from django.db import migrations

TEXT = {
    "CLINIC_PHONE": "phone",
    "CLINIC_EMAIL": "email",
    "CLINIC_OPENING_HOURS": "opening_hours",
    "CLINIC_OPENING_HOURS_ES": "opening_hours_es",
    "INFUSION_DURATION": "session_duration",
    "INFUSION_DURATION_ES": "session_duration_es",
    "INFUSION_FASTING_RULE": "fasting_rule",
    "INFUSION_FASTING_RULE_ES": "fasting_rule_es",
    "INFUSION_COMPANION_RULE": "companion_rule",
    "INFUSION_COMPANION_RULE_ES": "companion_rule_es",
}
PRICES = {"PRICE_PER_SESSION": "price_per_session", "PRICE_PER_COURSE": "price_per_course"}
OLD_PLACEHOLDERS = {"(206) 555-0142", "care@example.org"}
MANAGER = "Clinic manager"
MANAGER_GRANTS = ["view_clinicprofile", "change_clinicprofile"]


def _price(text: str) -> Decimal | None:
    try:
        return Decimal(re.sub(r"[$,\s]", "", text))
    except InvalidOperation:
        return None


def profile_from_settings(apps, schema_editor):
    ClinicProfile = apps.get_model("pages", "ClinicProfile")
    values = {}
    for variable, field in TEXT.items():
        text = os.environ.get(variable, "").strip()
        if text and text not in OLD_PLACEHOLDERS:
            values[field] = text
    for variable, field in PRICES.items():
        price = _price(os.environ.get(variable, "").strip())
        if price is not None and price >= 0:
            values[field] = price
    if not ClinicProfile.objects.exists():
        ClinicProfile.objects.create(**values)


def managers_may_edit(apps, schema_editor):
    pages = apps.get_app_config("pages")
    pages.models_module = True
    create_permissions(pages, apps=apps, verbosity=0)
    pages.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name=MANAGER).first()
    if group is not None:
        group.permissions.add(
            *Permission.objects.filter(
                content_type__app_label="pages",
                codename__in=MANAGER_GRANTS,
            )
        )


def managers_may_not_edit(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name=MANAGER).first()
    if group is not None:
        group.permissions.remove(
            *Permission.objects.filter(
                content_type__app_label="pages",
                codename__in=MANAGER_GRANTS,
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("pages", "0009_clinic_profile"),
        ("intake", "0003_staff_roles"),
    ]

    operations = [
        migrations.RunPython(profile_from_settings, migrations.RunPython.noop),
        migrations.RunPython(managers_may_edit, managers_may_not_edit),
    ]
