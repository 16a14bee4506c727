"""Read what MongoDB stores, behind the ORM's back, for the integration tests' assertions."""
from django.db import connection


def stored(table, **query):
    """Return the documents of ``table`` matching ``query``, without _id, sorted by id."""
    return [
        {key: value for key, value in doc.items() if key != "_id"}
        for doc in connection.mongo_database[table].find(query).sort("id", 1)
    ]
