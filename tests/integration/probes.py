"""
Probes of documented MongoDB features that the test server may lack.

mongo-java-server lacks some operators a real MongoDB has (see
docs/test-server.md). A test that needs one first runs a probe of it and
skips with the server's own message when the probe fails, so the same test
runs in full against a real MongoDB (MONGODB_URI).
"""
from functools import wraps

from django.db import connection
from bson.binary import Binary
from pymongo.errors import OperationFailure

_reasons = {}  # feature -> why the server cannot run it, or ""


def server_lacks(feature, probe):
    """
    Return why the server cannot run ``probe(collection)``, or "" when it
    can; the collection holds one document ``{"a": "x", "n": 1}``.
    """
    if feature not in _reasons:
        collection = connection.mongo_database["djongo_probe"]
        collection.drop()
        collection.insert_one({"a": "x", "n": 1})
        try:
            probe(collection)
            _reasons[feature] = ""
        except OperationFailure as error:
            _reasons[feature] = f"the test server lacks {feature}: {(error.details or {}).get('errmsg', error)}"
        finally:
            collection.drop()
    return _reasons[feature]


def expression(value):
    """Return a probe computing the aggregation expression ``value``."""
    return lambda collection: list(collection.aggregate([{"$project": {"r": value}}]))


def require(test_case, feature, probe):
    """Skip the running test of ``test_case`` when the server cannot run ``probe``."""
    reason = server_lacks(feature, probe)
    if reason:
        test_case.skipTest(reason)


def skip_unless_server_runs(feature, probe):
    """Decorate a test method to skip when the server cannot run ``probe``."""
    def decorate(test):
        @wraps(test)
        def run(self):
            require(self, feature, probe)
            test(self)
        return run
    return decorate


def set_results_as_arrays(collection):
    """
    Match an array path on a stored $setIntersection result; raise
    OperationFailure when the server does not (mongo-java-server).
    """
    pipeline = [{"$addFields": {"s": {"$setIntersection": [["$a"], ["$a"]]}}}, {"$match": {"s.0": {"$exists": True}}}]
    if not list(collection.aggregate(pipeline)):
        raise OperationFailure("{'s.0': {'$exists': true}} does not match a $setIntersection result")


def bits_all_set_on_binary(collection):
    """Run $bitsAllSet with a BinData mask; raise OperationFailure when the server lacks it (mongo-java-server)."""
    list(collection.find({"n": {"$bitsAllSet": Binary(b"\x01")}}))
