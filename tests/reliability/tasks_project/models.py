from django.db import models


class Run(models.Model):
    """One run of the task ``record(number)``: a second run of a number breaks the unique index."""
    number = models.IntegerField(unique=True)
    worker = models.CharField(max_length=64)
