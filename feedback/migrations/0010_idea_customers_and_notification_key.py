# Who raised an idea (customers, feedback items) and the key of a notification
# that must reach each user once (issue 24.3 and 24.5). Written by hand so it
# holds only these changes.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("feedback", "0009_customer_outcomes"),
    ]

    operations = [
        migrations.AddField(
            model_name="idea",
            name="customers",
            field=models.ManyToManyField(
                blank=True, related_name="ideas", to="feedback.customer"
            ),
        ),
        migrations.AddField(
            model_name="idea",
            name="items",
            field=models.ManyToManyField(
                blank=True, related_name="ideas", to="feedback.feedbackitem"
            ),
        ),
        migrations.AddField(
            model_name="notification",
            name="key",
            field=models.CharField(blank=True, default="", max_length=100),
        ),
        migrations.AddConstraint(
            model_name="notification",
            constraint=models.UniqueConstraint(
                condition=models.Q(("key", ""), _negated=True),
                fields=("user", "key"),
                name="notification_key_once_per_user",
            ),
        ),
    ]
