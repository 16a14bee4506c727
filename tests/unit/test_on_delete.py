"""
The pieces of the database-level on_delete options that need no server:
the actions read from column records, the tables a DELETE reaches, and the
plan of a DELETE given them.
"""
import unittest

from djongo.catalog import COLUMNS_COLLECTION, Catalog, actions_of, cascade_closure
from djongo.sql2mongo.commands import DeleteMany, OnDelete
from djongo.sql2mongo.plans import Facts, Needs, get_plan, parse


def record(table, *columns):
    """A ``__columns__`` document of ``table`` with ``columns``: (name, references or None) pairs."""
    entry = {"table": table, "columns": []}
    for name, references in columns:
        column = {"name": name, "type": "IntegerField", "null": False}
        if references is not None:
            column["references"] = references
        entry["columns"].append(column)
    return entry


def references(table, action, column="id", **default):
    return {"table": table, "column": column, "on_delete": action, **default}


class ActionsTests(unittest.TestCase):

    def test_each_database_action_of_each_referencing_column(self):
        entries = [
            record("app_shelf", ("id", None)),
            record("app_box", ("id", None), ("shelf_id", references("app_shelf", "CASCADE"))),
            record("app_loan", ("id", None), ("shelf_id", references("app_shelf", "SET NULL"))),
            record("app_move", ("id", None), ("shelf_id", references("app_shelf", "SET DEFAULT", default=1)),
                   ("spare_id", references("app_shelf", "SET DEFAULT", default=None))),
            record("app_card", ("box_id", references("app_box", "CASCADE", column="code"))),
        ]
        self.assertEqual(actions_of(entries), {
            "app_shelf": (
                OnDelete("app_box", "shelf_id", "id", "CASCADE"),
                OnDelete("app_loan", "shelf_id", "id", "SET NULL"),
                OnDelete("app_move", "shelf_id", "id", "SET DEFAULT", 1),
                OnDelete("app_move", "spare_id", "id", "SET DEFAULT", None),
            ),
            "app_box": (OnDelete("app_card", "box_id", "code", "CASCADE"),),
        })

    def test_a_reference_django_applies_itself_is_no_action(self):
        # on_delete=CASCADE, SET_NULL, PROTECT...: Django deletes or updates
        # the rows before it deletes the parent.
        entries = [record("app_book", ("author_id", references("app_author", "NO ACTION")))]
        self.assertEqual(actions_of(entries), {})

    def test_records_without_columns_or_references(self):
        self.assertEqual(actions_of([{"table": "t"}, record("u", ("id", None))]), {})


class ClosureTests(unittest.TestCase):
    shelf_box = OnDelete("box", "shelf_id", "id", "CASCADE")
    shelf_loan = OnDelete("loan", "shelf_id", "id", "SET NULL")
    box_card = OnDelete("card", "box_id", "id", "CASCADE")
    loan_note = OnDelete("note", "loan_id", "id", "CASCADE")

    def actions(self):
        return {
            "shelf": (self.shelf_box, self.shelf_loan),
            "box": (self.box_card,),
            "loan": (self.loan_note,),
        }

    def test_a_chain_of_cascades(self):
        closure = cascade_closure(self.actions(), "shelf")
        # A SET NULL keeps the rows: deleting a shelf deletes no loan, so
        # the loans' own references are not reached.
        self.assertEqual(dict(closure), {"shelf": (self.shelf_box, self.shelf_loan), "box": (self.box_card,)})
        self.assertEqual(list(closure), ["shelf", "box"])

    def test_from_the_middle_of_a_chain(self):
        self.assertEqual(dict(cascade_closure(self.actions(), "box")), {"box": (self.box_card,)})

    def test_a_table_nothing_references(self):
        self.assertEqual(dict(cascade_closure(self.actions(), "card")), {})

    def test_a_cycle_is_reached_once(self):
        node = OnDelete("node", "parent_id", "id", "CASCADE")
        a_b = OnDelete("b", "a_id", "id", "CASCADE")
        b_a = OnDelete("a", "b_id", "id", "CASCADE")
        self.assertEqual(dict(cascade_closure({"node": (node,)}, "node")), {"node": (node,)})
        self.assertEqual(dict(cascade_closure({"a": (a_b,), "b": (b_a,)}, "a")), {"a": (a_b,), "b": (b_a,)})

    def test_the_closure_is_read_only(self):
        # The catalog hands one closure to every plan that deletes from the table.
        with self.assertRaises(TypeError):
            cascade_closure(self.actions(), "shelf")["x"] = ()


class Records:
    """A stand-in for the ``__columns__`` collection that counts the reads of references."""

    def __init__(self, entries, during_read=None):
        self.entries = entries
        self.reads = 0
        self.during_read = during_read

    def find(self, query, projection=None):
        self.reads += 1
        if self.during_read is not None:
            self.during_read()
        return list(self.entries)

    def create_index(self, *args, **kwargs):
        pass

    def update_one(self, *args, **kwargs):
        pass


class CachedActionsTests(unittest.TestCase):
    entries = [record("box", ("shelf_id", references("shelf", "CASCADE")))]

    def catalog(self, **options):
        records = Records(self.entries, **options)
        return Catalog({COLUMNS_COLLECTION: records}), records

    def test_read_once_for_every_table(self):
        catalog, records = self.catalog()
        self.assertEqual(dict(catalog.on_delete("shelf")), {"shelf": (OnDelete("box", "shelf_id", "id", "CASCADE"),)})
        self.assertEqual(dict(catalog.on_delete("box")), {})
        self.assertIs(catalog.on_delete("shelf"), catalog.on_delete("shelf"))
        self.assertEqual(records.reads, 1)

    def test_read_again_after_a_change_of_columns(self):
        catalog, records = self.catalog()
        catalog.on_delete("shelf")
        catalog.set_columns("loan", [{"name": "id"}])
        catalog.on_delete("shelf")
        self.assertEqual(records.reads, 2)

    def test_a_read_that_a_change_overtook_is_not_kept(self):
        # Another thread records a change while this one reads: what it
        # read may be older than the change, so the next DELETE reads again.
        catalog, records = self.catalog()
        records.during_read = catalog.forget
        catalog.on_delete("shelf")
        records.during_read = None
        catalog.on_delete("shelf")
        catalog.on_delete("shelf")
        self.assertEqual(records.reads, 2)


class PlanTests(unittest.TestCase):
    """A DELETE needs the ON DELETE actions of its table; its plan is made with them (plans.Facts)."""

    SQL = 'DELETE FROM "app_shelf" WHERE "app_shelf"."id" IN %s'

    def test_a_delete_needs_its_tables_actions(self):
        self.assertEqual(parse(self.SQL).needs, Needs(deletes="app_shelf"))
        self.assertIsNone(get_plan(self.SQL).commands[0].on_delete)

    def test_other_statements_need_none(self):
        self.assertEqual(parse('SELECT "app_shelf"."id" FROM "app_shelf"').needs, Needs())
        self.assertEqual(parse('UPDATE "app_shelf" SET "name" = %s').needs, Needs())

    def test_the_actions_go_into_the_delete(self):
        actions = cascade_closure({"app_shelf": (OnDelete("app_box", "shelf_id", "id", "CASCADE"),)}, "app_shelf")
        plan = get_plan(self.SQL, Facts(on_delete=actions))
        [command] = get_plan(self.SQL).commands
        self.assertEqual(plan.commands, (DeleteMany("app_shelf", filter=command.filter, on_delete=actions),))
        self.assertIs(plan.commands[0].on_delete, actions)
        # One plan per mapping the catalog keeps: the same object finds it
        # again; another one (the schema changed) makes another plan.
        self.assertIs(get_plan(self.SQL, Facts(on_delete=actions)), plan)
        again = cascade_closure({"app_shelf": (OnDelete("app_box", "shelf_id", "id", "CASCADE"),)}, "app_shelf")
        self.assertIsNot(get_plan(self.SQL, Facts(on_delete=again)), plan)

    def test_facts_with_a_default_that_does_not_hash(self):
        # A db_default may be a list (a JSONField's); facts compare the
        # catalog's mapping by identity, so they hash all the same.
        actions = {"app_shelf": (OnDelete("app_box", "tags", "id", "SET DEFAULT", default=["a"]),)}
        self.assertEqual(hash(Facts(on_delete=actions)), hash(Facts(on_delete=actions)))
        self.assertEqual(get_plan(self.SQL, Facts(on_delete=actions)).commands[0].on_delete, actions)
