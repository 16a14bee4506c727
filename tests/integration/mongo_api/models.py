"""Models of the mongo_api integration tests."""
from djongo import models
from djongo.storage import GridFSStorage

# Files of these models go to the GridFS bucket "mongo_api_files" of the
# default database; tests/integration/mongo_api/urls.py serves them.
gridfs_storage = GridFSStorage(collection="mongo_api_files", base_url="/files/")


class Entry(models.Model):
    """Seed 000's Entry (with its blog as plain fields) on a DjongoManager."""
    blog_name = models.CharField(max_length=100)
    headline = models.CharField(max_length=255)

    objects = models.DjongoManager()

    def __str__(self):
        return self.headline


class Blog(models.Model):
    """Seed 000's Blog after ``description`` was added to it (ENFORCE_SCHEMA)."""
    name = models.CharField(max_length=100)
    tagline = models.TextField()
    description = models.TextField(null=True)


class Document(models.Model):
    title = models.CharField(max_length=100)
    attachment = models.FileField(storage=gridfs_storage, upload_to="documents/")

    def __str__(self):
        return self.title


class Profile(models.Model):
    name = models.CharField(max_length=100)
    avatar = models.ImageField(
        storage=gridfs_storage, upload_to="", width_field="avatar_width", height_field="avatar_height",
    )
    avatar_width = models.IntegerField(null=True, editable=False)
    avatar_height = models.IntegerField(null=True, editable=False)

    def __str__(self):
        return self.name
