"""DjongoManager. Placeholder until implemented (issue 5)."""
from django.db import models


class DjongoManager(models.Manager):
    pass
