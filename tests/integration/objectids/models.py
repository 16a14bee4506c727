"""Models of the objectids integration tests."""
from djongo import models


class Publisher(models.Model):
    """An explicit ObjectId primary key, as MongoDB's ``_id``."""
    _id = models.ObjectIdField()
    name = models.CharField(max_length=100)

    def __str__(self):
        return self.name


class Magazine(models.Model):
    """The app's default_auto_field gives it ``id``, an ObjectIdField stored as ``_id``."""
    title = models.CharField(max_length=100)
    publisher = models.ForeignKey(Publisher, models.CASCADE, null=True, blank=True)
    # The id of a document outside Django's tables, not generated.
    legacy_id = models.GenericObjectIdField(null=True, blank=True)

    def __str__(self):
        return self.title


class Author(models.Model):
    """An integer primary key from a __schema__ counter."""
    id = models.AutoField(primary_key=True)
    name = models.CharField(max_length=100)

    def __str__(self):
        return self.name


class Tag(models.Model):
    name = models.CharField(max_length=50)

    def __str__(self):
        return self.name


class Entry(models.Model):
    _id = models.ObjectIdField()
    headline = models.CharField(max_length=255)
    authors = models.ArrayReferenceField(Author)
    tags = models.ArrayReferenceField(Tag, related_name="entries")

    def __str__(self):
        return self.headline
