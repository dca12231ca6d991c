"""The audit trail's model now belongs to core (core.0001); its table stays as it is."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("intake", "0009_protocol_paths_versions_unsaved_reviews"),
        ("core", "0001_audit_trail"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="AuditEvent")],
            database_operations=[],
        ),
    ]
