"""The five CX competencies are fixed; create them once."""

from django.db import migrations

COMPETENCIES = (
    (
        "customers_as_assets",
        "Treat customers as assets: know what each relationship is worth and "
        "what losing it costs.",
    ),
    (
        "align_around_experience",
        "Organise work around the journeys customers go through, not the "
        "departments they pass.",
    ),
    (
        "listening_path",
        "Hear customers at every step, route what they say to those who can act, "
        "and tell them what changed.",
    ),
    (
        "proactive_reliability",
        "Fix the causes of contact before customers notice, and keep improving "
        "what they value.",
    ),
    (
        "one_company",
        "One company accountable for the experience: leaders model it, teams share "
        "goals, culture rewards it.",
    ),
)


def create(apps, schema_editor):
    Competency = apps.get_model("strategy", "Competency")
    for order, (key, description) in enumerate(COMPETENCIES, start=1):
        Competency.objects.update_or_create(
            key=key, defaults={"order": order, "description": description}
        )


class Migration(migrations.Migration):
    dependencies = [("strategy", "0001_initial")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
