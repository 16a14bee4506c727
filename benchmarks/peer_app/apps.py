from django.apps import AppConfig


class PeerAppConfig(AppConfig):
    name = "peer_app"
    # django-mongodb-backend keys every model by an ObjectId; an app that names
    # its own default_auto_field overrides DEFAULT_AUTO_FIELD, so say it here too.
    default_auto_field = "django_mongodb_backend.fields.ObjectIdAutoField"
