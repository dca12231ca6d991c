"""Clinic managers keep "Who cares for you": they add, change and unpublish clinicians (names,
credentials, licence numbers, photos), as they keep the clinic profile."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

MANAGER = "Clinic manager"
GRANTS = ["view_clinician", "add_clinician", "change_clinician", "delete_clinician"]


def _grants(apps):
    pages = apps.get_app_config("pages")
    pages.models_module = True
    create_permissions(pages, apps=apps, verbosity=0)
    pages.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name=MANAGER).first()
    permissions = Permission.objects.filter(content_type__app_label="pages", codename__in=GRANTS)
    return group, permissions


def managers_keep_clinicians(apps, schema_editor):
    group, permissions = _grants(apps)
    if group is not None:
        group.permissions.add(*permissions)


def managers_do_not(apps, schema_editor):
    group, permissions = _grants(apps)
    if group is not None:
        group.permissions.remove(*permissions)


class Migration(migrations.Migration):
    dependencies = [("pages", "0015_cost_answer_without_a_promise")]

    operations = [migrations.RunPython(managers_keep_clinicians, managers_do_not)]
