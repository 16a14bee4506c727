from django.db import models


# The per-call benchmark (benchmarks/run.py); benchmarks/peer_app/models.py
# has the same models for django-mongodb-backend.

class Shelf(models.Model):
    name = models.CharField(max_length=50)

    class Meta:
        app_label = "bench"


class Item(models.Model):
    name = models.CharField(max_length=50)
    count = models.IntegerField()
    shelf = models.ForeignKey(Shelf, models.CASCADE)

    class Meta:
        app_label = "bench"


# The scale benchmark (benchmarks/scale.py): books by authors, tagged.

class Author(models.Model):
    name = models.CharField(max_length=50)
    country = models.CharField(max_length=2)

    class Meta:
        app_label = "bench"


class Tag(models.Model):
    name = models.CharField(max_length=20)

    class Meta:
        app_label = "bench"


class Book(models.Model):
    title = models.CharField(max_length=80)
    pages = models.IntegerField()
    author = models.ForeignKey(Author, models.CASCADE)
    tags = models.ManyToManyField(Tag)

    class Meta:
        app_label = "bench"
