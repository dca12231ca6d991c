"""The audit trail moves from the intake app to core, which every app may import.

The table stays where it is (intake_auditevent): only Django's idea of which app owns the model
changes. Its content type moves with it, so the permissions staff roles hold on it carry over.
"""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def content_type_to_core(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="intake", model="auditevent").update(app_label="core")


def content_type_to_intake(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="core", model="auditevent").update(app_label="intake")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("contenttypes", "0002_remove_content_type_name"),
        ("intake", "0009_protocol_paths_versions_unsaved_reviews"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="AuditEvent",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "occurred_at",
                            models.DateTimeField(
                                db_index=True, default=django.utils.timezone.now, editable=False
                            ),
                        ),
                        (
                            "actor_username",
                            models.CharField(editable=False, max_length=150, verbose_name="by"),
                        ),
                        (
                            "action",
                            models.CharField(
                                choices=[
                                    ("view", "Viewed"),
                                    ("change", "Changed"),
                                    ("note", "Added a note"),
                                    ("contact", "Logged a contact attempt"),
                                    ("protocol", "Confirmed the suicide-risk protocol"),
                                    ("export", "Exported"),
                                    ("delete", "Deleted"),
                                    ("purge", "Purged"),
                                ],
                                db_index=True,
                                editable=False,
                                max_length=10,
                            ),
                        ),
                        (
                            "reference",
                            models.CharField(
                                blank=True,
                                db_index=True,
                                editable=False,
                                max_length=9,
                                verbose_name="request reference",
                            ),
                        ),
                        ("detail", models.CharField(blank=True, editable=False, max_length=500)),
                        (
                            "actor",
                            models.ForeignKey(
                                blank=True,
                                editable=False,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "audit event",
                        "db_table": "intake_auditevent",
                        "ordering": ["-occurred_at", "-pk"],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(content_type_to_core, content_type_to_intake),
    ]
