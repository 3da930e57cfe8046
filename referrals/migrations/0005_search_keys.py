"""The search keys (referrals/search.py): the columns, filled for every referral there is,
and on PostgreSQL, where pg_trgm is installed or can be (a trusted extension since
PostgreSQL 13: the database's owner may create it), a GIN trigram index on each, which
serves partial matches and close spellings. Without pg_trgm (SQLite, or a role that may not
create it) the search matches parts of words, unindexed: at 20,000 referrals still fast."""

from django.conf import settings
from django.db import DatabaseError, migrations, models, transaction

from core.search_keys import fold, phone_digits, compact

KEYS = ("search_name", "search_phone", "search_postcode", "search_reference")
TABLE = "referrals_referral"


def fill_keys(apps, schema_editor):
    # As referrals.models makes them (name_search_key and the others), from the fields.
    Referral = apps.get_model("referrals", "Referral")
    rows = Referral.objects.order_by("pk").only(
        "reference", "first_name", "last_name", "phone", "postcode", "anonymised_at", *KEYS
    )
    batch = []
    for referral in rows.iterator(chunk_size=2000):
        removed = referral.anonymised_at is not None
        referral.search_name = "" if removed else fold(f"{referral.first_name} {referral.last_name}")[:255]
        referral.search_phone = "" if removed else phone_digits(referral.phone)[:32]
        referral.search_postcode = "" if removed else compact(referral.postcode)[:10]
        referral.search_reference = compact(referral.reference)[:20]
        batch.append(referral)
        if len(batch) == 2000:
            Referral.objects.bulk_update(batch, KEYS, batch_size=500)
            batch = []
    Referral.objects.bulk_update(batch, KEYS, batch_size=500)


def _has_trigrams(cursor):
    cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
    return cursor.fetchone() is not None


def add_trigram_indexes(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        if not _has_trigrams(cursor):
            cursor.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm'")
            if cursor.fetchone() is None:
                return
            try:
                with transaction.atomic(using=connection.alias):
                    cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
            except DatabaseError:
                return  # not this role's to create: partial matches only, unindexed
        for key in KEYS:
            cursor.execute(
                f"CREATE INDEX IF NOT EXISTS {TABLE}_{key}_trgm ON {TABLE} "
                f"USING gin ({key} gin_trgm_ops)"
            )


def drop_trigram_indexes(apps, schema_editor):
    # The extension stays: something else may use it, and it holds no data.
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        for key in KEYS:
            cursor.execute(f"DROP INDEX IF EXISTS {TABLE}_{key}_trgm")


class Migration(migrations.Migration):

    dependencies = [
        ('referrals', '0004_eligibility_override'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='referral',
            name='search_name',
            field=models.CharField(blank=True, db_default='', default='', editable=False, max_length=255),
        ),
        migrations.AddField(
            model_name='referral',
            name='search_phone',
            field=models.CharField(blank=True, db_default='', default='', editable=False, max_length=32),
        ),
        migrations.AddField(
            model_name='referral',
            name='search_postcode',
            field=models.CharField(blank=True, db_default='', default='', editable=False, max_length=10),
        ),
        migrations.AddField(
            model_name='referral',
            name='search_reference',
            field=models.CharField(blank=True, db_default='', default='', editable=False, max_length=20),
        ),
        migrations.AddIndex(
            model_name='referral',
            index=models.Index(fields=['date_of_birth'], name='referrals_referral_birth'),
        ),
        migrations.RunPython(fill_keys, migrations.RunPython.noop, elidable=False),
        migrations.RunPython(add_trigram_indexes, drop_trigram_indexes, elidable=False),
    ]
