"""
Whether the server enforces collection validators, which djongo's CHECK
constraints become.

A table's CHECK constraints are the validator of its collection
(translate/ddl.py ``validator()``), set when the collection is created and
with ``collMod`` when a constraint is added or dropped (executor/checks.py
``run_add_checks``). MongoDB 3.6+ enforces a query-filter validator on every
insert and update and refuses a document that fails it with error 121,
DocumentValidationFailure
(https://www.mongodb.com/docs/manual/core/schema-validation/). Some servers
that speak MongoDB's protocol accept a validator and ignore it
(mongo-java-server, the local test server, neither stores nor enforces it,
and has no ``collMod``). There a CHECK would be recorded and never applied,
so djongo declares CHECK constraints only where ``validators_enforced()``
says the server enforces them (features.py), and Django writes none
elsewhere.
"""
import logging

from bson import ObjectId
from pymongo.errors import OperationFailure, WriteError

logger = logging.getLogger("djongo")

# https://www.mongodb.com/docs/manual/reference/error-codes/
DOCUMENT_VALIDATION_FAILURE = 121
# The probe's scratch collections, which introspection hides (catalog.is_internal).
PROBE_PREFIX = "__djongo_probe_"

# The probe's validators, in the {"$nor": [violations]} shape djongo writes
# for CHECK constraints: the first refuses v < 0, the second, set by
# collMod, v < 10. A null v breaks neither, as a NULL passes a CHECK.
PROBE_VALIDATOR = {"$nor": [{"v": {"$lt": 0}}]}
PROBE_CHANGED_VALIDATOR = {"$nor": [{"v": {"$lt": 10}}]}


def validators_enforced(database):
    """
    Return whether the server enforces collection validators, set both at
    creation and by ``collMod``, by trying them on a scratch collection of
    ``database``, which is dropped again.

    A server that refuses any step, a user who may not run one (create a
    collection, insert, ``collMod``, which the built-in readWrite role does
    not grant), or a server that stores a document its validator refuses,
    does not enforce CHECK constraints, and the reason is logged at INFO.
    """
    # A name of its own for each probe, so that two processes probing the
    # same database at once do not drop each other's collection.
    name = f"{PROBE_PREFIX}{ObjectId()}"
    logger.debug("probing whether %s enforces collection validators, with the collection %s", database.name, name)
    try:
        return _probe(database, name)
    except OperationFailure as exc:
        message = (exc.details or {}).get("errmsg") or str(exc)
        logger.info(
            "collection validators are not usable on this server (%s): CHECK constraints are not created", message,
        )
        return False
    finally:
        try:
            database.drop_collection(name)
        except OperationFailure as exc:  # nothing was created, or the user may not drop
            logger.debug("dropping the validator probe %s failed: %s", name, exc)


def _probe(database, name):
    database.create_collection(name, validator=PROBE_VALIDATOR, validationLevel="strict", validationAction="error")
    collection = database[name]
    collection.insert_one({"v": None})
    if not _refuses(collection, {"v": -1}):
        logger.info(
            "the server stores documents that break a collection's validator: CHECK constraints are not created "
            "(https://www.mongodb.com/docs/manual/core/schema-validation/)"
        )
        return False
    # https://www.mongodb.com/docs/manual/reference/command/collMod/#document-validation
    database.command("collMod", name, validator=PROBE_CHANGED_VALIDATOR, validationLevel="strict",
                     validationAction="error")
    if not _refuses(collection, {"v": 5}):
        logger.info("the server ignores a validator set by collMod: CHECK constraints are not created")
        return False
    return True


def _refuses(collection, document):
    """Insert ``document``; return whether the validator refused it."""
    try:
        collection.insert_one(document)
    except WriteError as exc:
        if exc.code == DOCUMENT_VALIDATION_FAILURE:
            return True
        raise
    return False
