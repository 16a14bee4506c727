"""DDL from the schema editor's templates (translate/ddl.py)."""
import math

from bson.regex import Regex

from djongo.sql2mongo.binding import Slot
from djongo.sql2mongo.commands import (
    AddChecks, CreateCollection, CreateIndex, CreateSequence, DropCheck, DropCollection, DropField, DropIndex, NoOp,
    RenameCollection, RenameField, UpdateMany,
)
from djongo.sql2mongo.translate.ddl import NON_NULL_TYPES, validator

from .base import TranslationTestCase


class CreateTableTests(TranslationTestCase):

    def test_model_table(self):
        # schema_editor.create_model(Author)
        self.assertTranslates(
            'CREATE TABLE "app_author" ("id" int NOT NULL PRIMARY KEY AUTOINCREMENT, "name" string NOT NULL, '
            '"email" string NOT NULL, "is_active" bool NOT NULL, "age" int NULL, "code" string NULL UNIQUE)',
            [
                CreateSequence("app_author", "id"),
                CreateCollection("app_author"),
                CreateIndex("app_author", (("id", 1),), "app_author_id_pk", unique=True),
                # NULL may repeat in a UNIQUE column: the index skips non-strings.
                CreateIndex("app_author", (("code", 1),), "app_author_code_uniq", unique=True,
                            partial_filter={"code": {"$type": "string"}}),
            ],
        )

    def test_table_without_unique_columns(self):
        self.assertTranslates(
            'CREATE TABLE "app_book" ("id" int NOT NULL PRIMARY KEY AUTOINCREMENT, "title" string NOT NULL, '
            '"author_id" int NOT NULL, "editor_id" int NULL, "pages" int NOT NULL);',
            [
                CreateSequence("app_book", "id"),
                CreateCollection("app_book"),
                CreateIndex("app_book", (("id", 1),), "app_book_id_pk", unique=True),
            ],
        )

    def test_big_auto_field_and_unique_columns(self):
        self.assertTranslates(
            'CREATE TABLE "app_m2" ("big" long NOT NULL PRIMARY KEY AUTOINCREMENT, "u" uuid NULL UNIQUE, '
            '"d" decimal NOT NULL UNIQUE)',
            [
                CreateSequence("app_m2", "big"),
                CreateCollection("app_m2"),
                CreateIndex("app_m2", (("big", 1),), "app_m2_big_pk", unique=True),
                CreateIndex("app_m2", (("u", 1),), "app_m2_u_uniq", unique=True,
                            partial_filter={"u": {"$type": "binData"}}),
                CreateIndex("app_m2", (("d", 1),), "app_m2_d_uniq", unique=True),
            ],
        )

    def test_primary_key_without_autoincrement(self):
        self.assertTranslates(
            'CREATE TABLE "t" ("code" string NOT NULL PRIMARY KEY, "n" int NOT NULL)',
            [CreateCollection("t"), CreateIndex("t", (("code", 1),), "t_code_pk", unique=True)],
        )

    def test_nullable_unique_index_skips_nulls_by_type(self):
        for sql_type, bson_type in [
            ("string", "string"), ("int", ["int", "long"]), ("long", ["int", "long"]),
            ("bool", "bool"), ("date", "date"), ("datetime", "date"), ("time", "string"),
            ("decimal", "decimal"), ("double", "double"), ("uuid", "binData"), ("binary", "binData"),
        ]:
            with self.subTest(type=sql_type):
                commands = self.commands(f'CREATE TABLE "t" ("x" {sql_type} NULL UNIQUE)')
                self.assertEqual(commands, (
                    CreateCollection("t"),
                    CreateIndex("t", (("x", 1),), "t_x_uniq", unique=True, partial_filter={"x": {"$type": bson_type}}),
                ))

    def test_sized_types(self):
        commands = self.commands('CREATE TABLE "t" ("a" varchar(100) NOT NULL UNIQUE, "b" decimal(10, 2) NULL)')
        self.assertEqual(commands, (CreateCollection("t"), CreateIndex("t", (("a", 1),), "t_a_uniq", unique=True)))

    def test_inline_unique_constraint(self):
        # Meta.constraints = [UniqueConstraint(fields=["a", "b"], name="m3_ab_uniq")] on NOT NULL columns.
        self.assertTranslates(
            'CREATE TABLE "app_m3" ("id" int NOT NULL PRIMARY KEY AUTOINCREMENT, "a" int NOT NULL, '
            '"b" string NOT NULL, CONSTRAINT "m3_ab_uniq" UNIQUE ("a", "b"))',
            [
                CreateSequence("app_m3", "id"),
                CreateCollection("app_m3"),
                CreateIndex("app_m3", (("id", 1),), "app_m3_id_pk", unique=True),
                CreateIndex("app_m3", (("a", 1), ("b", 1)), "m3_ab_uniq", unique=True),
            ],
        )

    def test_inline_unique_constraint_on_a_nullable_column_allows_many_nulls(self):
        # Meta.constraints = [UniqueConstraint(fields=["a"], name="m3_a_uniq")]
        # with a = IntegerField(null=True): like "a" int NULL UNIQUE, NULLs may
        # repeat (features.supports_nullable_unique_constraints), and the
        # column's type is right there in the statement.
        commands = self.commands(
            'CREATE TABLE "app_m3" ("id" int NOT NULL PRIMARY KEY AUTOINCREMENT, "a" int NULL, '
            'CONSTRAINT "m3_a_uniq" UNIQUE ("a"))'
        )
        self.assertEqual(commands[-1], CreateIndex(
            "app_m3", (("a", 1),), "m3_a_uniq", unique=True, partial_filter={"a": {"$type": ["int", "long"]}},
        ))

    def test_constant_column_default_needs_no_command(self):
        # a = IntegerField(db_default=5): Django writes 5 into each INSERT
        # (supports_default_keyword_in_insert is False), so nothing is kept.
        self.assertTranslates(
            'CREATE TABLE "app_m4" ("id" int NOT NULL PRIMARY KEY AUTOINCREMENT, "a" int DEFAULT %s NOT NULL)',
            [CreateSequence("app_m4", "id"), CreateCollection("app_m4"),
             CreateIndex("app_m4", (("id", 1),), "app_m4_id_pk", unique=True)],
        )

    def test_a_default_reading_a_column_is_refused(self):
        self.assertUnsupported(
            'CREATE TABLE "app_m5" ("id" int NOT NULL PRIMARY KEY AUTOINCREMENT, "a" int DEFAULT ("b" + 1) NOT NULL)',
            "column DEFAULT of 'a' reading a column or a subquery",
        )

    def test_an_expression_default_needs_no_storage(self):
        # DBDefaultsFunction's db_default=Pi() + 4.5: Django writes it into each INSERT.
        self.assertEqual(
            self.commands('CREATE TABLE "t" ("id" int NOT NULL PRIMARY KEY AUTOINCREMENT, '
                          '"added" double DEFAULT ((PI() + 4.5)) NOT NULL)'),
            self.commands('CREATE TABLE "t" ("id" int NOT NULL PRIMARY KEY AUTOINCREMENT, "added" double NOT NULL)'),
        )


class DropTableTests(TranslationTestCase):

    def test_drop_table(self):
        self.assertTranslates('DROP TABLE "app_book"', [DropCollection("app_book")])
        self.assertTranslates('DROP TABLE "app_book" CASCADE', [DropCollection("app_book")])


class AlterTableTests(TranslationTestCase):

    def test_add_column_with_default_parameter(self):
        # add_field(Author, IntegerField(default=3)): existing rows get the default.
        sql = 'ALTER TABLE "app_author" ADD COLUMN "rank" int DEFAULT %s NOT NULL'
        self.assertTranslates(sql, [UpdateMany(
            "app_author", filter={"rank": {"$exists": False}}, update={"$set": {"rank": Slot(0)}},
        )])
        self.assertBinds(sql, [3], {"$set": {"rank": 3}})
        self.assertBinds('ALTER TABLE "app_author" ADD COLUMN "tag" string DEFAULT %s NOT NULL', ["x'y"],
                         {"$set": {"tag": "x'y"}})

    def test_add_column_with_literal_default(self):
        # The same statement as sqlmigrate prints it.
        self.assertTranslates('ALTER TABLE "app_author" ADD COLUMN "rank" int DEFAULT 3 NOT NULL;', [UpdateMany(
            "app_author", filter={"rank": {"$exists": False}}, update={"$set": {"rank": 3}},
        )])

    def test_add_nullable_column(self):
        self.assertTranslates('ALTER TABLE "app_author" ADD COLUMN "nick" string NULL', [UpdateMany(
            "app_author", filter={"nick": {"$exists": False}}, update={"$set": {"nick": None}},
        )])

    def test_add_nullable_unique_column(self):
        self.assertTranslates('ALTER TABLE "app_author" ADD COLUMN "slug" string NULL UNIQUE', [
            UpdateMany("app_author", filter={"slug": {"$exists": False}}, update={"$set": {"slug": None}}),
            CreateIndex("app_author", (("slug", 1),), "app_author_slug_uniq", unique=True,
                        partial_filter={"slug": {"$type": "string"}}),
        ])

    def test_drop_column(self):
        self.assertTranslates('ALTER TABLE "app_author" DROP COLUMN "email"', [DropField("app_author", "email")])
        self.assertTranslates('ALTER TABLE "app_author" DROP COLUMN "email" CASCADE', [DropField("app_author", "email")])

    def test_rename_column(self):
        self.assertTranslates('ALTER TABLE "app_author" RENAME COLUMN "age" TO "years"', [
            RenameField("app_author", "age", "years"),
        ])

    def test_rename_table(self):
        self.assertTranslates('ALTER TABLE "app_author" RENAME TO "app_writer"', [
            RenameCollection("app_author", "app_writer"),
        ])

    def test_add_unique_constraint(self):
        # alter_unique_together(Book, [], [("title", "pages")])
        self.assertTranslates(
            'ALTER TABLE "app_book" ADD CONSTRAINT "app_book_title_pages_be62e080_uniq" UNIQUE ("title", "pages")',
            [CreateIndex("app_book", (("title", 1), ("pages", 1)), "app_book_title_pages_be62e080_uniq", unique=True)],
        )

    def test_add_primary_key_constraint(self):
        self.assertTranslates('ALTER TABLE "t" ADD CONSTRAINT "t_pk" PRIMARY KEY ("id")', [
            CreateIndex("t", (("id", 1),), "t_pk", unique=True),
        ])

    def test_drop_constraint(self):
        self.assertTranslates('ALTER TABLE "app_book" DROP CONSTRAINT "app_book_title_pages_be62e080_uniq"', [
            DropIndex("app_book", "app_book_title_pages_be62e080_uniq"),
        ])

    def test_alter_column_changes_are_no_ops(self):
        for change, reason in [
            ("TYPE long", "ALTER COLUMN age TYPE long"),
            ("TYPE varchar(20)", "ALTER COLUMN age TYPE varchar"),
            ("SET NOT NULL", "ALTER COLUMN age SET NOT NULL"),
            ("DROP NOT NULL", "ALTER COLUMN age DROP NOT NULL"),
            ("DROP DEFAULT", "ALTER COLUMN age DROP DEFAULT"),
        ]:
            with self.subTest(change=change):
                self.assertTranslates(f'ALTER TABLE "app_author" ALTER COLUMN "age" {change}', [NoOp("app_author", reason)])

    def test_set_default_parameter_is_counted(self):
        plan = self.plan('ALTER TABLE "app_author" ALTER COLUMN "age" SET DEFAULT %s')
        self.assertEqual(plan.param_count, 1)
        self.assertEqual(plan.commands, (NoOp("app_author", "ALTER COLUMN age SET DEFAULT"),))

    def test_several_actions(self):
        self.assertTranslates(
            'ALTER TABLE "t" ALTER COLUMN "a" TYPE string, ALTER COLUMN "b" SET NOT NULL, DROP COLUMN "c"',
            [
                NoOp("t", "ALTER COLUMN a TYPE string"),
                NoOp("t", "ALTER COLUMN b SET NOT NULL"),
                DropField("t", "c"),
            ],
        )


class IndexTests(TranslationTestCase):

    def test_create_index(self):
        self.assertTranslates('CREATE INDEX "app_book_title_30dcdb86" ON "app_book" ("title")', [
            CreateIndex("app_book", (("title", 1),), "app_book_title_30dcdb86"),
        ])

    def test_composite_index_with_desc(self):
        # Index(fields=["title", "-pages"], name="book_tp_idx")
        self.assertTranslates('CREATE INDEX "book_tp_idx" ON "app_book" ("title", "pages" DESC)', [
            CreateIndex("app_book", (("title", 1), ("pages", -1)), "book_tp_idx"),
        ])

    def test_unique_index(self):
        self.assertTranslates('CREATE UNIQUE INDEX "u_idx" ON "app_book" ("title" ASC, "pages" DESC)', [
            CreateIndex("app_book", (("title", 1), ("pages", -1)), "u_idx", unique=True),
        ])

    def test_subquery_in_an_index_condition_is_refused(self):
        self.assertUnsupported(
            'CREATE INDEX "i" ON "t" ("a") WHERE "a" IN (SELECT "u"."a" FROM "u")',
            "subquery in a condition that cannot run one",
        )

    def test_partial_index(self):
        self.assertTranslates('CREATE INDEX "pages_partial" ON "app_book" ("pages") WHERE "pages" > 10', [
            CreateIndex("app_book", (("pages", 1),), "pages_partial", partial_filter={"pages": {"$gt": 10}}),
        ])

    def test_not_null_in_a_partial_index_is_a_type_test(self):
        # The schema editor writes a unique constraint added over nullable
        # columns so (schema.py); a partial filter takes $type, not $ne.
        self.assertTranslates(
            'CREATE UNIQUE INDEX "t_a_b_uniq" ON "t" ("a", "b") WHERE "a" IS NOT NULL AND "b" IS NOT NULL', [
                CreateIndex("t", (("a", 1), ("b", 1)), "t_a_b_uniq", unique=True, partial_filter={
                    "a": {"$type": NON_NULL_TYPES}, "b": {"$type": NON_NULL_TYPES},
                }),
            ])
        self.assertNotIn("null", NON_NULL_TYPES)
        self.assertNotIn("undefined", NON_NULL_TYPES)

    def test_drop_index(self):
        self.assertTranslates('DROP INDEX "book_tp_idx" ON "app_book"', [DropIndex("app_book", "book_tp_idx")])


class UnsupportedDDLTests(TranslationTestCase):

    def test_foreign_key_reference(self):
        self.assertUnsupported(
            'CREATE TABLE "t" ("id" int NOT NULL PRIMARY KEY, "a" int NOT NULL REFERENCES "u" ("id"))',
            "column option REFERENCES",
        )
        self.assertUnsupported(
            'ALTER TABLE "t" ADD CONSTRAINT "fk" FOREIGN KEY ("a") REFERENCES "u" ("id")', "constraint FOREIGN",
        )

    def test_unnamed_table_check_constraint(self):
        # Django names every table CHECK; a column's is named after its column.
        self.assertUnsupported('CREATE TABLE "t" ("a" int NULL, CHECK ("a" > 0))', "CHECK constraint without a name")

    def test_if_not_exists(self):
        # The schema editor writes it to complete a table a crash left half made (docs/migrations.md).
        self.assertTranslates('CREATE TABLE IF NOT EXISTS "t" ("a" int NULL)', [CreateCollection("t", if_absent=True)])
        self.assertUnsupported('CREATE INDEX IF NOT EXISTS "i" ON "t" ("a")', "CREATE INDEX IF NOT EXISTS")

    def test_index_with_include(self):
        self.assertUnsupported('CREATE INDEX "i" ON "t" ("a") INCLUDE ("b")', "index with INCLUDE columns")

    def test_index_on_an_expression(self):
        self.assertUnsupported('CREATE INDEX "i" ON "t" (("a" + 1))', "index on an expression")

    def test_two_autoincrement_columns(self):
        self.assertUnsupported(
            'CREATE TABLE "t" ("a" int NOT NULL AUTOINCREMENT, "b" int NOT NULL AUTOINCREMENT)',
            "more than one AUTOINCREMENT column",
        )

    def test_nullable_unique_column_of_unknown_type(self):
        self.assertUnsupported('CREATE TABLE "t" ("a" weird NULL UNIQUE)', "UNIQUE on a nullable column of type 'weird'")

    def test_add_primary_key_column(self):
        self.assertUnsupported(
            'ALTER TABLE "t" ADD COLUMN "id" int NOT NULL PRIMARY KEY AUTOINCREMENT',
            "ALTER TABLE ADD COLUMN of a primary key",
        )

    def test_add_column_with_an_expression_default_computes_it_for_each_document(self):
        self.assertTranslates('ALTER TABLE "t" ADD COLUMN "a" double DEFAULT (PI() + 4.5) NOT NULL', [
            UpdateMany("t", {"a": {"$exists": False}},
                       [{"$addFields": {"a": {"$add": [{"$literal": math.pi}, {"$literal": 4.5}]}}}]),
        ])
        self.assertUnsupported('ALTER TABLE "t" ADD COLUMN "a" int DEFAULT ("b" + 1) NOT NULL', "reading a column")

    def test_other_objects(self):
        self.assertUnsupported('CREATE VIEW "v" AS SELECT 1', "CREATE VIEW")
        self.assertUnsupported('DROP VIEW "v"', "DROP VIEW")
        self.assertUnsupported('CREATE SEQUENCE "s"', "CREATE SEQUENCE")

    def test_unknown_alter_actions(self):
        self.assertUnsupported('ALTER TABLE "t" ALTER COLUMN "a" SET STATISTICS 100', "ALTER COLUMN change 'SET'")
        self.assertUnsupported('ALTER TABLE "t" OWNER TO "x"', "ALTER TABLE action 'OWNER'")


class CheckConstraintTests(TranslationTestCase):
    """A CHECK's violation is the filter of NOT (condition): the rows where it is FALSE, never NULL."""

    def test_table_check_in_create_table(self):
        # CheckConstraint(condition=Q(priority__range=(-100, 100)), name="priority_range")
        violation = {"$or": [{"priority": {"$lt": -100}}, {"priority": {"$gt": 100}}]}
        self.assertTranslates(
            'CREATE TABLE "t" ("id" int NOT NULL PRIMARY KEY AUTOINCREMENT, "priority" int NOT NULL, '
            'CONSTRAINT "priority_range" CHECK ("priority" BETWEEN -100 AND 100))',
            [
                CreateSequence("t", "id"),
                CreateCollection("t", validator={"$nor": [violation]}),
                CreateIndex("t", (("id", 1),), "t_id_pk", unique=True),
                AddChecks("t", (("priority_range", ("priority",), violation),)),
            ],
        )

    def test_column_check_lets_null_pass(self):
        # PositiveIntegerField(null=True): {"n": {"$lt": 0}} matches no null or missing n.
        self.assertTranslates(
            'CREATE TABLE "t" ("n" int NULL CHECK ("n" >= 0))',
            [
                CreateCollection("t", validator={"$nor": [{"n": {"$lt": 0}}]}),
                AddChecks("t", (("t_n_check", ("n",), {"n": {"$lt": 0}}),)),
            ],
        )

    def test_add_check_with_or_and_is_null(self):
        # FALSE only where a <= 1 (a not NULL) and b is not NULL.
        self.assertTranslates(
            'ALTER TABLE "t" ADD CONSTRAINT "c" CHECK (("a" > 1 OR "b" IS NULL))',
            [AddChecks("t", (("c", ("a", "b"), {"a": {"$lte": 1}, "b": {"$ne": None}}),))],
        )

    def test_drop_check(self):
        self.assertTranslates('ALTER TABLE "t" DROP CHECK "c"', [DropCheck("t", "c")])

    def test_add_column_with_check(self):
        # add_field() of a PositiveIntegerField: the check is added after the
        # column's default is written, and judges the rows as they then are.
        self.assertTranslates(
            'ALTER TABLE "t" ADD COLUMN "n" int DEFAULT 0 NOT NULL CHECK ("n" >= 0)',
            [
                UpdateMany("t", {"n": {"$exists": False}}, {"$set": {"n": 0}}),
                AddChecks("t", (("t_n_check", ("n",), {"n": {"$lt": 0}}),)),
            ],
        )


class CheckConditionTests(TranslationTestCase):
    """
    The violation of each condition Django writes for a CheckConstraint, as
    ``CheckConstraint(condition=...).create_sql()`` compiles it for this
    backend (values written into the SQL by quote_value): the documents
    where the condition is FALSE. A NULL or missing column makes a
    comparison UNKNOWN, which passes.
    """

    def assertViolation(self, condition, columns, violation):
        sql = f'ALTER TABLE "t" ADD CONSTRAINT "c" CHECK ({condition})'
        self.assertTranslates(sql, [AddChecks("t", (("c", columns, violation),))])

    def test_comparison(self):
        # Q(a__gte=0), the check of PositiveIntegerField too
        self.assertViolation('"a" >= 0', ("a",), {"a": {"$lt": 0}})
        self.assertViolation('"a" < 5', ("a",), {"a": {"$gte": 5}})
        self.assertViolation("\"s\" = 'z'", ("s",), {"s": {"$nin": ["z", None]}})

    def test_range(self):
        # Q(a__range=(-100, 100))
        self.assertViolation(
            '"a" BETWEEN -100 AND 100', ("a",), {"$or": [{"a": {"$lt": -100}}, {"a": {"$gt": 100}}]},
        )

    def test_in(self):
        # Q(s__in=["x", "y"]): a NULL s is in no list, and not out of it either.
        self.assertViolation("\"s\" IN ('x', 'y')", ("s",), {"s": {"$nin": ["x", "y", None]}})

    def test_is_null(self):
        # Q(a__isnull=True) | Q(b__isnull=False), and Q(a=None)
        self.assertViolation(
            '("a" IS NULL OR "b" IS NOT NULL)', ("a", "b"), {"a": {"$ne": None}, "b": None},
        )
        self.assertViolation('"a" IS NULL', ("a",), {"a": {"$ne": None}})

    def test_and_or_not(self):
        # (Q(a__gt=1) & ~Q(b=2)) | Q(s="z")
        self.assertViolation(
            '(("a" > 1 AND NOT ("b" = 2 AND "b" IS NOT NULL)) OR "s" = \'z\')',
            ("a", "b", "s"),
            {"$and": [
                {"$or": [{"a": {"$lte": 1}}, {"$and": [{"b": 2}, {"b": {"$ne": None}}]}]},
                {"s": {"$nin": ["z", None]}},
            ]},
        )

    def test_boolean_column(self):
        # Q(flag=True): only a stored False breaks it.
        self.assertViolation('"flag"', ("flag",), {"flag": {"$eq": False}})

    def test_columns_compared(self):
        # Q(a__lt=F("b")): $expr, FALSE only where neither side is NULL.
        self.assertViolation('"a" < ("b")', ("a", "b"), {"$expr": {"$and": [
            {"$gte": ["$a", "$b"]},
            {"$ne": [{"$ifNull": ["$a", None]}, None]},
            {"$ne": [{"$ifNull": ["$b", None]}, None]},
        ]}})

    def test_like(self):
        # Q(s__startswith="a"): the NULL guard keeps a missing s passing.
        self.assertViolation(
            "\"s\" LIKE 'a%'", ("s",), {"s": {"$not": Regex("^a", "s"), "$ne": None}},
        )

    def test_subquery_is_refused(self):
        self.assertUnsupported(
            'ALTER TABLE "t" ADD CONSTRAINT "c" CHECK ("a" IN (SELECT "b" FROM "u"))',
            "subquery in a condition that cannot run one",
        )

    def test_parameter_is_refused(self):
        # Django writes a CHECK's values into its SQL; a placeholder would
        # leave the validator unbound.
        self.assertUnsupported('ALTER TABLE "t" ADD CONSTRAINT "c" CHECK ("a" > %s)', "a parameter in CHECK")
        self.assertUnsupported('CREATE TABLE "t" ("a" int NULL CHECK ("a" IN %s))', "a parameter in CHECK")

    def test_two_checks_on_a_column_are_refused(self):
        self.assertUnsupported(
            'CREATE TABLE "t" ("a" int NULL CHECK ("a" > 0) CHECK ("a" < 9))', "more than one CHECK on a column",
        )

    def test_validator_of_no_checks_accepts_all(self):
        self.assertEqual(validator([]), {})
        self.assertEqual(validator([{"a": 1}, {"b": 2}]), {"$nor": [{"a": 1}, {"b": 2}]})
