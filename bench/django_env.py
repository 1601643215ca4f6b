"""Set up Django with the benchmark settings, for the bench scripts that run in-process."""

import os

import django


def setup():
    os.environ["DJANGO_SETTINGS_MODULE"] = "havering_improve.settings.bench"
    django.setup()
