"""The counties served move from the SERVICE_AREA_COUNTIES setting into the clinic profile.

A site that set the variable keeps its counties; otherwise the profile takes the setting's old
default, the clinic's own area (King, Pierce and Snohomish), not an example value.
"""

import os

from django.db import migrations, models

import pages.models

SETTING_DEFAULT = "King, Pierce, Snohomish"


def counties_from_setting(apps, schema_editor):
    ClinicProfile = apps.get_model("pages", "ClinicProfile")
    names = [name.strip() for name in os.environ.get("SERVICE_AREA_COUNTIES", "").split(",")]
    counties = ", ".join(name for name in names if name) or SETTING_DEFAULT
    ClinicProfile.objects.update(counties_served=counties)


class Migration(migrations.Migration):
    dependencies = [
        ("pages", "0011_second_clinical_read"),
    ]

    operations = [
        migrations.AddField(
            model_name="clinicprofile",
            name="counties_served",
            field=models.CharField(
                blank=True,
                default=SETTING_DEFAULT,
                help_text="The counties the clinicians visit, separated by commas: “King, Pierce, "
                "Snohomish”. ZIP codes in them count as in the area.",
                max_length=300,
                validators=[pages.models.validate_counties],
                verbose_name="counties served",
            ),
        ),
        migrations.RunPython(counties_from_setting, migrations.RunPython.noop),
    ]
