"""
The reads (executor/reads.py): rows shaped out of documents (field names,
dotted paths, constants), and the pymongo calls of find, aggregate and
the counts, checked on a fake collection.
"""
import unittest

from djongo.exceptions import MigrationError, ProgrammingError
from djongo.executor import reads, run
from djongo.executor.reads import document_rows, value_at_path
from djongo.sql2mongo.binding import Const, Slot
from djongo.sql2mongo.commands import Aggregate, Combine, CountDocuments, CountRows, Find, KeyedJoin

from .executor_fakes import FakeCollection, FakeConnection


class DocumentRowsTests(unittest.TestCase):

    def test_fields_paths_and_constants(self):
        doc = {"_id": 1, "id": 7, "blog": {"name": "Beatles", "owner": {"age": 40}}}
        rows = list(document_rows([doc], ("id", "blog.name", "blog.owner.age", Const(1))))
        self.assertEqual(rows, [(7, "Beatles", 40, 1)])

    def test_a_path_through_an_array_reads_each_element(self):
        doc = {"entries": [{"name": "a"}, {"title": "x"}, {"name": "b"}]}
        self.assertEqual(list(document_rows([doc], ("entries.name",))), [(["a", "b"],)])

    def test_missing_and_null(self):
        docs = [{"id": 1}, {"id": 2, "blog": None}]
        self.assertEqual(list(document_rows(docs, ("id", "blog.name", "tagline"))), [(1, None, None), (2, None, None)])

    def test_enforce_schema_names_the_missing_field(self):
        with self.assertRaises(MigrationError) as context:
            list(document_rows([{"_id": "x1", "id": 1, "blog": {}}], ("id", "blog.name"), enforce=True, collection="entry"))
        self.assertIn("blog.name", str(context.exception))
        # A NULL subdocument is not a missing field.
        self.assertEqual(list(document_rows([{"id": 1, "blog": None}], ("id", "blog.name"), enforce=True)), [(1, None)])

    def test_constants_and_top_level_fields_under_enforce_schema(self):
        with self.assertRaises(MigrationError) as context:
            list(document_rows([{"_id": 1}], ("id",), enforce=True, collection="t"))
        self.assertIn("id", str(context.exception))
        self.assertEqual(list(document_rows([{"id": 1}], ("id", Const("x")), enforce=True)), [(1, "x")])


class ValueAtPathTests(unittest.TestCase):

    def test_a_path_of_subdocuments(self):
        self.assertEqual(value_at_path({"a": {"b": {"c": 3}}}, ("a", "b", "c")), 3)

    def test_missing_is_what_the_caller_says(self):
        marker = object()
        self.assertIs(value_at_path({"a": {}}, ("a", "b"), marker), marker)
        self.assertIsNone(value_at_path({"a": {}}, ("a", "b")))
        # A scalar where a subdocument is expected: nothing at the path.
        self.assertIs(value_at_path({"a": 5}, ("a", "b"), marker), marker)

    def test_null_subdocument_and_arrays(self):
        self.assertIsNone(value_at_path({"a": None}, ("a", "b"), object()))
        self.assertEqual(value_at_path({"a": [{"b": 1}, 2, {"c": 3}, {"b": 4}]}, ("a", "b")), [1, 4])


def with_table(*collections, **options):
    """Return a FakeConnection whose catalog says every table exists."""
    catalog = {"exists": [True], **options.pop("catalog", {})}
    return FakeConnection({collection.name: collection for collection in collections}, catalog=catalog, **options)


class FindTests(unittest.TestCase):

    def test_the_find_call(self):
        books = FakeCollection("app_book", find=[[{"title": "a", "pages": 3}]])
        connection = with_table(books)
        command = Find("app_book", filter={"pages": Slot(0)}, projection={"_id": 0, "title": 1, "pages": 1},
                       sort=(("title", 1),), skip=Slot(1), limit=Slot(2), columns=("title", "pages"),
                       names=("title", "pages"))
        result = run(command, (3, 5, 10), connection)
        self.assertEqual(list(result.rows), [("a", 3)])
        self.assertEqual(result.names, ("title", "pages"))
        self.assertEqual(connection.calls_to("app_book"), [
            ("app_book.find", ({"pages": 3}, {"_id": 0, "title": 1, "pages": 1}),
             {"sort": [("title", 1)], "skip": 5, "limit": 10, "session": None, "batch_size": 0}),
        ])

    def test_limit_zero_reads_nothing(self):
        connection = with_table(FakeCollection("t"))
        result = run(Find("t", projection={"_id": 0}, limit=0, columns=("a",), names=("a",)), (), connection)
        self.assertEqual(list(result.rows), [])
        self.assertEqual(connection.calls_to("t"), [])

    def test_the_batch_size_of_a_chunked_read(self):
        connection = with_table(FakeCollection("t"))
        token = reads.batch_size.set(50)
        try:
            run(Find("t", projection={"_id": 0, "a": 1}, columns=("a",)), (), connection)
        finally:
            reads.batch_size.reset(token)
        self.assertEqual(connection.calls_to("t")[0][2]["batch_size"], 50)

    def test_enforce_schema_reads_the_id_too(self):
        connection = with_table(FakeCollection("t", find=[[{"_id": 9, "a": 1}]]))
        connection.enforce_schema = True
        result = run(Find("t", projection={"_id": 0, "a": 1}, columns=("a",)), (), connection)
        self.assertEqual(list(result.rows), [(1,)])
        self.assertEqual(connection.calls_to("t")[0][1][1], {"_id": 1, "a": 1})

    def test_a_missing_table_is_refused(self):
        connection = FakeConnection(catalog={"exists": [False]})
        with self.assertRaisesRegex(ProgrammingError, "no such table: t"):
            run(Find("t", projection={"_id": 0}), (), connection)

    def test_in_a_transaction_the_rows_are_read_at_once(self):
        connection = with_table(FakeCollection("t", find=[[{"a": 1}, {"a": 2}]]), session="session")
        result = run(Find("t", projection={"_id": 0, "a": 1}, columns=("a",)), (), connection)
        self.assertEqual(connection.calls_to("t")[0][2]["session"], "session")
        self.assertEqual(list(result.rows), [(1,), (2,)])

    def test_a_parameter_as_a_column(self):
        connection = with_table(FakeCollection("t", find=[[{"a": 1}]]))
        command = Find("t", projection={"_id": 0, "a": 1}, columns=("a", Const(Slot(0))))
        self.assertEqual(list(run(command, (7,), connection).rows), [(1, 7)])


class SelectAllTests(unittest.TestCase):
    """SELECT * of a collection without recorded columns: a recorded table's * is named when planned (naming.py)."""

    def test_an_unrecorded_collection_has_its_first_documents_fields(self):
        connection = with_table(FakeCollection("t", find=[[{"_id": 1, "x": 1, "y": 2}, {"_id": 2, "y": 3}]]),
                                catalog={"columns": [[]]})
        result = run(Find("t"), (), connection)
        self.assertEqual(result.names, ("x", "y"))
        self.assertEqual(list(result.rows), [(1, 2), (None, 3)])

    def test_no_documents_no_columns(self):
        connection = with_table(FakeCollection("t"), catalog={"columns": [[]]})
        result = run(Find("t"), (), connection)
        self.assertEqual((result.names, list(result.rows)), ((), []))


class AggregateTests(unittest.TestCase):

    def test_the_aggregate_call_and_decoders(self):
        connection = with_table(FakeCollection("t", aggregate=[[{"a": "1", "b": 2}]]))
        command = Aggregate("t", pipeline=[{"$match": {"a": Slot(0)}}], columns=("a", "b"), names=("a", "b"),
                            decoders=(int, None))
        self.assertEqual(list(run(command, ("x",), connection).rows), [(1, 2)])
        self.assertEqual(connection.calls_to("t"), [
            ("t.aggregate", ([{"$match": {"a": "x"}}],), {"session": None}),
        ])

    def test_the_batch_size_is_passed_only_when_set(self):
        connection = with_table(FakeCollection("t"))
        token = reads.batch_size.set(10)
        try:
            list(run(Aggregate("t", pipeline=[], columns=("a",)), (), connection).rows)
        finally:
            reads.batch_size.reset(token)
        self.assertEqual(connection.calls_to("t")[0][2], {"session": None, "batchSize": 10})


class CountTests(unittest.TestCase):

    def test_count_documents_with_skip_and_limit(self):
        connection = with_table(FakeCollection("t", count_documents=[4]))
        result = run(CountDocuments("t", filter={"a": Slot(0)}, skip=2, limit=Slot(1)), (1, 5), connection)
        self.assertEqual(list(result.rows), [(4,)])
        self.assertEqual(connection.calls_to("t"), [
            ("t.count_documents", ({"a": 1},), {"session": None, "skip": 2, "limit": 5}),
        ])

    def test_limit_zero_counts_nothing(self):
        connection = with_table(FakeCollection("t"))
        self.assertEqual(list(run(CountDocuments("t", limit=0), (), connection).rows), [(0,)])
        self.assertEqual(connection.calls_to("t"), [])

    def test_count_rows_counts_the_rows_of_its_query(self):
        connection = with_table(FakeCollection("t", find=[[{"a": 1}, {"a": 1}, {"a": 2}]]))
        query = Find("t", projection={"_id": 0, "a": 1}, columns=("a",))
        self.assertEqual(list(run(CountRows("t", query=query), (), connection).rows), [(3,)])


class CombineTests(unittest.TestCase):

    def test_union_ordered_and_sliced(self):
        connection = with_table(FakeCollection("a", find=[[{"x": 3}, {"x": 1}]]), FakeCollection("b", find=[[{"x": 2}, {"x": 1}]]))
        parts = (Find("a", projection={"_id": 0, "x": 1}, columns=("x",)),
                 Find("b", projection={"_id": 0, "x": 1}, columns=("x",)))
        command = Combine("a", parts=parts, order=((0, False, None),), skip=1, limit=Slot(0))
        self.assertEqual(list(run(command, (5,), connection).rows), [(2,), (3,)])


class KeyedJoinTests(unittest.TestCase):

    def command(self, **options):
        outer = Find("book", projection={"_id": 0, "title": 1, "author": 1}, columns=("title", "author", "author"))
        inner = Find("author", filter={"id": Slot(-1)}, projection={"_id": 0, "id": 1, "name": 1},
                     columns=("id", "name"))
        return KeyedJoin("book", outer=outer, inner=inner, key=1, fills=((2, 1, "nobody"),), width=3, **options)

    def test_each_outer_row_gets_the_inner_row_of_its_key(self):
        books = FakeCollection("book", find=[[
            {"title": "a", "author": 1}, {"title": "b", "author": None}, {"title": "c", "author": 2},
            {"title": "d", "author": 1.0},
        ]])
        authors = FakeCollection("author", find=[[{"id": 1, "name": "Ann"}]])
        connection = with_table(books, authors)
        rows = list(run(self.command(by_keys=True), (), connection).rows)
        self.assertEqual(rows, [("a", 1, "Ann"), ("b", None, "nobody"), ("c", 2, "nobody"), ("d", 1.0, "Ann")])
        # The inner read lists each key once: 1 and 1.0 are one key.
        self.assertEqual(connection.calls_to("author")[0][1][0], {"id": [1, 2]})

    def test_keys_are_read_in_batches(self):
        books = FakeCollection("book", find=[[{"title": str(n), "author": n} for n in range(5)]])
        connection = with_table(books, FakeCollection("author"))
        original = reads.KEYS_PER_QUERY
        reads.KEYS_PER_QUERY = 2
        try:
            run(self.command(by_keys=True), (), connection)
        finally:
            reads.KEYS_PER_QUERY = original
        self.assertEqual([call[1][0] for call in connection.calls_to("author")],
                         [{"id": [0, 1]}, {"id": [2, 3]}, {"id": [4]}])

    def test_ordered_and_sliced_after_the_join(self):
        books = FakeCollection("book", find=[[{"title": "b", "author": 1}, {"title": "a", "author": 1},
                                              {"title": "c", "author": 1}]])
        connection = with_table(books, FakeCollection("author", find=[[{"id": 1, "name": "Ann"}]]))
        command = self.command(by_keys=True, order=((0, False, None),), skip=1, limit=1)
        self.assertEqual(list(run(command, (), connection).rows), [("b", 1, "Ann")])
