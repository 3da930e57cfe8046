"""Authenticators enrolled before now accept the previous (and next) 30-second step's code
too, as new ones do (core.two_factor.TOLERANCE_STEPS): a code typed just before its step
ended still works when the request is delayed. Reuse stays refused by django-otp."""

from django.db import migrations


def widen(apps, schema_editor):
    TOTPDevice = apps.get_model("otp_totp", "TOTPDevice")
    TOTPDevice.objects.filter(tolerance=0).update(tolerance=1)


def narrow(apps, schema_editor):
    TOTPDevice = apps.get_model("otp_totp", "TOTPDevice")
    TOTPDevice.objects.filter(tolerance=1).update(tolerance=0)


class Migration(migrations.Migration):

    dependencies = [
        ("e4e", "0007_move_privacy_models"),
        ("otp_totp", "0003_add_timestamps"),
    ]

    operations = [migrations.RunPython(widen, narrow)]
