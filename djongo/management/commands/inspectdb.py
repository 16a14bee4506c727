"""
Django's inspectdb, writing ``from djongo import models``.

Models proposed for collections djongo did not create use djongo's
ObjectIdField for ``_id``; ``djongo.models`` holds every name of
``django.db.models`` as well, so the output imports one module.
"""
from django.core.management.commands import inspectdb


class Command(inspectdb.Command):
    db_module = "djongo"
