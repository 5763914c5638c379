"""Carry DRF's plain-text tokens (authtoken_token) over as hashed ApiTokens, then
drop that table, so no key stays in clear and `rest_framework.authtoken` can
leave INSTALLED_APPS.

A client holding an old key keeps working until the new token expires (the
usual lifetime from today). The old table is read with plain SQL, so this runs
whether or not the authtoken app is still installed, and is a no-op on a
database that never had it.
"""

import hashlib
from datetime import timedelta

from django.conf import settings
from django.db import migrations
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

OLD_TABLE = "authtoken_token"


def move_keys(apps, schema_editor):
    connection = schema_editor.connection
    if OLD_TABLE not in connection.introspection.table_names():
        return
    ApiToken = apps.get_model("cxplan", "ApiToken")
    now = timezone.now()
    expires = now + timedelta(days=getattr(settings, "CXPLAN_TOKEN_DAYS", 90))
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        # Only quoted constant identifiers are interpolated (reviewed for bandit).
        cursor.execute(f"SELECT {quote('key')}, user_id FROM {quote(OLD_TABLE)}")  # nosec B608
        rows = cursor.fetchall()
    ApiToken.objects.bulk_create(
        ApiToken(
            user_id=user_id,
            name=f"API token (carried over {now:%Y-%m-%d})",
            prefix=key[:8],
            key_hash=hashlib.sha256(key.encode()).hexdigest(),
            expires_at=expires,
        )
        for key, user_id in rows
    )
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE {quote(OLD_TABLE)}")
    # Forget authtoken's history too, so installing it again starts clean.
    MigrationRecorder(connection).migration_qs.filter(app="authtoken").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("cxplan", "0003_apitoken"),
    ]

    operations = [migrations.RunPython(move_keys, migrations.RunPython.noop)]
