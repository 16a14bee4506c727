"""
The models of three migrations that a crash may interrupt: create two
models, add a field with a default over existing rows, add an index and a
unique constraint.
"""
from django.db import models


class Shelf(models.Model):
    name = models.CharField(max_length=50, unique=True)


class Book(models.Model):
    shelf = models.ForeignKey(Shelf, models.CASCADE, related_name="books")
    title = models.CharField(max_length=100)
    pages = models.IntegerField(default=100)

    class Meta:
        indexes = [models.Index(fields=["title"], name="crash_book_title")]
        constraints = [models.UniqueConstraint(fields=["shelf", "title"], name="crash_book_shelf_title")]
