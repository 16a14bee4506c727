"""
Hand-written stand-ins for what the executor's runners talk to: a pymongo
Collection and Database, and djongo's connection with its catalog,
sequences and locks.

Each records the calls it receives, in order, in one list shared by all
the fakes of a connection, so a test checks the exact pymongo calls a
command makes. Answers are scripted: ``answers`` maps a method name to the
values its calls return, one per call, the last one for every later call
too (an exception is raised instead of returned); a method with no answer
returns its default.
"""
import types


class Recorder:
    """Record every method called on it in ``calls``; answer from ``answers``."""

    def __init__(self, label, calls=None, **answers):
        self.label = label
        self.calls = [] if calls is None else calls
        self.answers = {name: list(values) for name, values in answers.items()}

    def answer(self, name, default=None):
        queue = self.answers.get(name)
        if not queue:
            return default
        value = queue.pop(0) if len(queue) > 1 else queue[0]  # the last answer holds for later calls
        if isinstance(value, BaseException):
            raise value
        return value

    def record(self, method, /, *args, **kwargs):
        self.calls.append((f"{self.label}.{method}", args, kwargs))

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)

        def called(*args, **kwargs):
            self.record(name, *args, **kwargs)
            return self.answer(name)

        return called


class FakeCollection(Recorder):
    """A pymongo Collection that records its calls; reads answer from ``answers``, writes report counts."""

    def __init__(self, name, calls=None, indexes=(), **answers):
        super().__init__(name, calls, **answers)
        self.name = name
        self.indexes = [dict(index) for index in indexes]

    def _call(self, name, args, kwargs, default):
        self.record(name, *args, **kwargs)
        return self.answer(name, default)

    def find(self, *args, **kwargs):
        return iter([dict(document) for document in self._call("find", args, kwargs, [])])

    def aggregate(self, *args, **kwargs):
        return iter([dict(document) for document in self._call("aggregate", args, kwargs, [])])

    def find_one(self, *args, **kwargs):
        return self._call("find_one", args, kwargs, None)

    def count_documents(self, *args, **kwargs):
        return self._call("count_documents", args, kwargs, 0)

    def list_indexes(self, *args, **kwargs):
        self.record("list_indexes", *args, **kwargs)
        return iter([dict(index) for index in self.indexes])

    def update_many(self, *args, **kwargs):
        return types.SimpleNamespace(matched_count=self._call("update_many", args, kwargs, 0))

    def delete_many(self, *args, **kwargs):
        return types.SimpleNamespace(deleted_count=self._call("delete_many", args, kwargs, 0))

    def bulk_write(self, *args, **kwargs):
        return self._call("bulk_write", args, kwargs, types.SimpleNamespace(matched_count=0, upserted_ids={}))


class FakeConnection:
    """djongo's connection (database.py) as the runners use it, without a server."""

    enforce_schema = False
    supports_update_pipelines = True
    supports_window_stage = True
    supports_validators = True

    def __init__(self, collections=None, catalog=None, sequences=None, locks=None, database=None,
                 session=None, autocommit=True):
        self.calls = []
        self.collections = {}
        for name, collection in (collections or {}).items():
            collection.calls = self.calls
            self.collections[name] = collection
        self.catalog = Recorder("catalog", self.calls, **(catalog or {}))
        self.sequences = Recorder("sequences", self.calls, **(sequences or {}))
        self.locks = Recorder("locks", self.calls, **(locks or {}))
        self.database = Recorder("database", self.calls, **(database or {}))
        self._session = session
        self.autocommit = autocommit

    def collection(self, name):
        if name not in self.collections:
            self.collections[name] = FakeCollection(name, self.calls)
        return self.collections[name]

    def session(self):
        return self._session

    def release_locks(self):
        self.calls.append(("connection.release_locks", (), {}))

    def calls_to(self, *labels):
        """Return the calls recorded on the fakes named ``labels`` (a collection's name, "catalog", ...)."""
        return [call for call in self.calls if call[0].split(".")[0] in labels]
