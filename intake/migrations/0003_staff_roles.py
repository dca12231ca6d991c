"""The two staff roles, as groups with their permissions.

"Intake reviewer" works the queue: sees and updates requests and adds notes, but cannot delete or
export them. "Clinic manager" can also export, delete a request on a patient's request, purge
requests past retention and browse the audit trail.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

REVIEWER = [
    "view_screeningrequest",
    "change_screeningrequest",
    "view_statuschange",
    "view_internalnote",
    "add_internalnote",
]
MANAGER = [
    *REVIEWER,
    "export_screeningrequest",
    "delete_screeningrequest",
    "purge_screeningrequest",
    "view_auditevent",
]
ROLES = {"Intake reviewer": REVIEWER, "Clinic manager": MANAGER}


def create_roles(apps, schema_editor):
    # Permissions are normally created after all migrations have run; the groups need them now.
    intake = apps.get_app_config("intake")
    intake.models_module = True
    create_permissions(intake, apps=apps, verbosity=0)
    intake.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set(
            Permission.objects.filter(content_type__app_label="intake", codename__in=codenames)
        )


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("intake", "0002_staff_review"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
