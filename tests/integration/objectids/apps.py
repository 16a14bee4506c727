"""The objectids test app: its models' implicit primary keys are ObjectIds."""
from django.apps import AppConfig


class ObjectIdsConfig(AppConfig):
    name = "tests.integration.objectids"
    # DEFAULT_AUTO_FIELD per app: models without a primary key get an
    # ``id`` ObjectIdField stored as MongoDB's ``_id``.
    default_auto_field = "djongo.models.ObjectIdField"
