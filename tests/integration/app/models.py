"""Models the integration tests exercise: one per kind of column and relation."""
from django.db import models


class Kitchen(models.Model):
    """Every value type that must round-trip unchanged."""
    name = models.CharField(max_length=50)
    code = models.CharField(max_length=20, null=True, blank=True)
    count = models.IntegerField(default=0)
    big = models.BigIntegerField(null=True)
    ratio = models.FloatField(null=True)
    price = models.DecimalField(max_digits=10, decimal_places=2, null=True)
    is_active = models.BooleanField(default=True)
    born = models.DateField(null=True)
    seen = models.DateTimeField(null=True)
    alarm = models.TimeField(null=True)
    uid = models.UUIDField(null=True)
    blob = models.BinaryField(null=True)
    notes = models.TextField(blank=True, default="")
    span = models.DurationField(null=True)

    class Meta:
        ordering = ["id"]


class Author(models.Model):
    name = models.CharField(max_length=100)
    email = models.EmailField(blank=True)

    def __str__(self):
        return self.name


class Book(models.Model):
    title = models.CharField(max_length=100, db_index=True)
    author = models.ForeignKey(Author, models.CASCADE, related_name="books")
    editor = models.ForeignKey(Author, models.SET_NULL, null=True, related_name="edited")
    co_authors = models.ManyToManyField(Author, related_name="co_written")
    pages = models.IntegerField(default=0)

    class Meta:
        unique_together = [("title", "author")]

    def __str__(self):
        return self.title


class Counter(models.Model):
    """Inserted from many threads at once."""
    label = models.CharField(max_length=20)


class Badge(models.Model):
    """A nullable unique column: SQL allows any number of NULLs in it."""
    serial = models.CharField(max_length=20, unique=True, null=True)


class Ticket(models.Model):
    """A column with a database default (db_default)."""
    title = models.CharField(max_length=20)
    priority = models.IntegerField(db_default=3)
