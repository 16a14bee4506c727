"""
DjongoManager: a Django manager that also reaches the model's pymongo
collection.

``Entry.objects.mongo_<name>(...)`` calls ``<name>(...)`` on the
``pymongo.collection.Collection`` that stores ``Entry`` (its ``db_table``,
in the database of the manager's alias), so any query MongoDB can run is a
method call away: ``Entry.objects.mongo_aggregate(pipeline)``,
``Entry.objects.mongo_insert_one(document)``. Everything else is Django's
``Manager``.
"""
from django.db import NotSupportedError, connections, models
from pymongo.collection import Collection

PREFIX = "mongo_"


def collection_method_names():
    """Return the names of the public methods of pymongo's Collection."""
    # Look on the class, not on an instance: Collection.__getattr__ turns
    # any unknown attribute into a sub-collection (``db.a.b``), so a typo
    # such as ``mongo_fnd`` must not become a Collection object.
    return frozenset(
        name for name in dir(Collection)
        if not name.startswith("_") and callable(getattr(Collection, name))
    )


COLLECTION_METHODS = collection_method_names()


class DjongoManager(models.Manager):
    """
    A Manager whose ``mongo_<name>`` attributes are the methods of the
    model's pymongo Collection.

    The collection is looked up on each access, on the database of
    ``self.db`` (so ``Entry.objects.db_manager("other").mongo_find()``
    reads the ``other`` alias). Calls go straight to pymongo: they bypass
    Django's signals, field conversions and ``__schema__`` id counters, and
    they run outside any ``atomic()`` block.
    """

    def __getattr__(self, name):
        # Only called when normal lookup fails, so every Manager and
        # QuerySet method keeps working as usual.
        if name.startswith(PREFIX) and name[len(PREFIX):] in COLLECTION_METHODS:
            return getattr(self.mongo_collection(), name[len(PREFIX):])
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

    def __dir__(self):
        return [*super().__dir__(), *(PREFIX + name for name in sorted(COLLECTION_METHODS))]

    def mongo_collection(self):
        """Return the pymongo Collection that stores this manager's model."""
        connection = connections[self.db]
        try:
            database = connection.mongo_database
        except AttributeError:
            raise NotSupportedError(
                f"DjongoManager.mongo_* needs a djongo database; {self.db!r} uses {connection.vendor!r}."
            ) from None
        return database[self.model._meta.db_table]
