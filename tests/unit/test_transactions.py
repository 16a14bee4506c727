"""Which deployments run transactions, judged from pymongo's view of the servers."""
from unittest import TestCase

from pymongo.hello import Hello
from pymongo.server_description import ServerDescription

from djongo.servers import transactions_supported

ADDRESS = ("db.example.com", 27017)
# What MongoDB 4.4+ answers to hello, per kind of server
# (https://www.mongodb.com/docs/manual/reference/command/hello/).
COMMON = {"ok": 1, "maxWireVersion": 9, "minWireVersion": 0, "logicalSessionTimeoutMinutes": 30}


def server(**reply):
    return ServerDescription(ADDRESS, Hello({**COMMON, **reply}))


class TransactionsSupportedTests(TestCase):

    def test_standalone_server_has_none(self):
        self.assertFalse(transactions_supported([server(isWritablePrimary=True)]))

    def test_replica_set_primary_has_them(self):
        self.assertTrue(transactions_supported([
            server(isWritablePrimary=True, setName="rs0", hosts=["db.example.com:27017"]),
        ]))

    def test_replica_set_secondary_alone_has_none(self):
        # Transactions run on the primary; a client that sees only a
        # secondary cannot write, let alone transactionally.
        self.assertFalse(transactions_supported([
            server(isWritablePrimary=False, secondary=True, setName="rs0", hosts=["db.example.com:27017"]),
        ]))

    def test_mongos_has_them(self):
        self.assertTrue(transactions_supported([server(isWritablePrimary=True, msg="isdbgrid")]))

    def test_server_without_sessions_has_none(self):
        reply = {key: value for key, value in COMMON.items() if key != "logicalSessionTimeoutMinutes"}
        description = ServerDescription(ADDRESS, Hello({**reply, "isWritablePrimary": True, "setName": "rs0",
                                                         "hosts": ["db.example.com:27017"]}))
        self.assertFalse(transactions_supported([description]))

    def test_no_known_server_has_none(self):
        self.assertFalse(transactions_supported([ServerDescription(ADDRESS)]))
