"""Models whose foreign keys leave deletion to the database: on_delete=DB_CASCADE, DB_SET_NULL, DB_SET_DEFAULT."""
import uuid

from django.db import models


class Shelf(models.Model):
    name = models.CharField(max_length=50)


class Box(models.Model):
    """Deleted with its shelf, and deleting its cards in turn: a chain of two DB_CASCADEs."""
    shelf = models.ForeignKey(Shelf, models.DB_CASCADE, related_name="boxes")
    label = models.CharField(max_length=50)


class Card(models.Model):
    box = models.ForeignKey(Box, models.DB_CASCADE, related_name="cards")
    text = models.CharField(max_length=50)


class Loan(models.Model):
    """Keeps its row when the shelf goes, with no shelf."""
    shelf = models.ForeignKey(Shelf, models.DB_SET_NULL, null=True, related_name="loans")
    who = models.CharField(max_length=50)


class Move(models.Model):
    """Goes back to shelf 1 when its shelf is deleted, or to none."""
    shelf = models.ForeignKey(Shelf, models.DB_SET_DEFAULT, db_default=1, related_name="moves")
    spare = models.ForeignKey(
        Shelf, models.DB_SET_DEFAULT, db_default=None, null=True, related_name="spare_moves",
    )
    what = models.CharField(max_length=50)


class Node(models.Model):
    """A tree (or, written by hand, a cycle) of rows deleting their children."""
    parent = models.ForeignKey("self", models.DB_CASCADE, null=True, related_name="children")
    name = models.CharField(max_length=50)


class Tag(models.Model):
    """A parent whose key is a UUID, referenced by a DB_SET_DEFAULT with a UUID default."""
    code = models.UUIDField(primary_key=True, default=uuid.uuid4)


FALLBACK_TAG = uuid.UUID("00000000-0000-0000-0000-000000000001")


class Sticker(models.Model):
    tag = models.ForeignKey(Tag, models.DB_SET_DEFAULT, db_default=FALLBACK_TAG, related_name="stickers")
    mark = models.ForeignKey(Tag, models.DB_CASCADE, null=True, related_name="marks")
