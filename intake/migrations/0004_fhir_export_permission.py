"""Export to an EHR (a request as a FHIR Bundle): a permission both staff roles have."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CODENAME = "export_fhir_screeningrequest"
ROLES = ("Intake reviewer", "Clinic manager")


def grant(apps, schema_editor):
    intake = apps.get_app_config("intake")
    intake.models_module = True
    create_permissions(intake, apps=apps, verbosity=0)
    intake.models_module = None
    Permission = apps.get_model("auth", "Permission")
    permission = Permission.objects.get(content_type__app_label="intake", codename=CODENAME)
    for group in apps.get_model("auth", "Group").objects.filter(name__in=ROLES):
        group.permissions.add(permission)


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Permission.objects.filter(content_type__app_label="intake", codename=CODENAME).delete()


class Migration(migrations.Migration):
    dependencies = [("intake", "0003_staff_roles")]

    operations = [
        migrations.AlterModelOptions(
            name="screeningrequest",
            options={
                "ordering": ["priority", "received_at"],
                "permissions": [
                    ("export_screeningrequest", "Can export screening requests as CSV"),
                    (
                        "purge_screeningrequest",
                        "Can purge requests closed past the retention period",
                    ),
                    ("export_fhir_screeningrequest", "Can export a request to an EHR (FHIR)"),
                ],
            },
        ),
        migrations.RunPython(grant, revoke),
    ]
