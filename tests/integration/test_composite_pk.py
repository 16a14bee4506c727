"""
CompositePrimaryKey through the ORM: each key column is a field of the
document, the key a unique compound index, and every way Django compares a
composite key (with values, lists, subqueries and outer references) is
checked against what MongoDB stores. See docs/sql-support.md.
"""
import io
import json
import tempfile

from django.core import serializers
from django.core.management import call_command
from django.db import IntegrityError, connection
from django.db.models import OuterRef, Subquery
from django.test import TestCase

from tests.integration.composite.models import Member, Post, Tenant


def documents(model, **filter_):
    return list(connection.mongo_database[model._meta.db_table].find(filter_, {"_id": 0}).sort("name"))


class CompositeKeyTests(TestCase):

    @classmethod
    def setUpTestData(cls):
        cls.acme, cls.globex = Tenant.objects.create(name="acme"), Tenant.objects.create(name="globex")
        cls.ann = Member.objects.create(tenant=cls.acme, number=1, name="ann")
        cls.bob = Member.objects.create(tenant=cls.acme, number=2, name="bob")
        cls.cid = Member.objects.create(tenant=cls.globex, number=1, name="cid")
        Post.objects.create(tenant=cls.acme, author_number=1, title="ann's")
        Post.objects.create(tenant=cls.globex, author_number=1, title="cid's")
        Post.objects.create(tenant=cls.acme, author_number=None, title="nobody's")

    def test_each_key_column_is_a_field_and_the_key_a_unique_index(self):
        self.assertEqual(documents(Member, name="ann"), [{"tenant_id": self.acme.pk, "number": 1, "name": "ann"}])
        indexes = connection.mongo_database[Member._meta.db_table].index_information()
        keyed = [index for index in indexes.values() if index["key"] == [("tenant_id", 1), ("number", 1)]]
        self.assertEqual(len(keyed), 1)
        self.assertTrue(keyed[0]["unique"])

    def test_a_duplicate_key_is_an_integrity_error(self):
        with self.assertRaises(IntegrityError):
            Member.objects.create(tenant=self.acme, number=1, name="again")
        self.assertEqual(len(documents(Member, tenant_id=self.acme.pk, number=1)), 1)

    def test_get_and_filter_by_key(self):
        self.assertEqual(Member.objects.get(pk=(self.acme.pk, 2)).name, "bob")
        self.assertEqual(
            sorted(Member.objects.filter(pk__in=[(self.acme.pk, 1), (self.globex.pk, 1), (self.globex.pk, 9)])
                   .values_list("name", flat=True)),
            ["ann", "cid"],
        )
        self.assertEqual(list(Member.objects.filter(pk__gt=(self.acme.pk, 1)).order_by("pk")), [self.bob, self.cid])

    def test_key_in_an_uncorrelated_subquery(self):
        # (tenant_id, number) IN (SELECT ...): the subquery runs first.
        authors = Member.objects.filter(name__in=["ann", "cid"]).values("pk")
        self.assertEqual(sorted(Member.objects.filter(pk__in=Subquery(authors)).values_list("name", flat=True)),
                         ["ann", "cid"])
        self.assertEqual(list(Member.objects.exclude(pk__in=Subquery(authors)).values_list("name", flat=True)),
                         ["bob"])

    def test_key_equal_to_a_sliced_subquery(self):
        first = Member.objects.filter(name="bob")[:1]
        self.assertEqual(list(Member.objects.filter(pk=first)), [self.bob])
        self.assertEqual(list(Member.objects.filter(pk=Member.objects.filter(name="nobody")[:1])), [])

    def test_key_equal_to_a_correlated_subquery(self):
        # pk = (SELECT ... WHERE ... = OuterRef ... LIMIT 1): a $lookup per member.
        posted = (Post.objects.filter(tenant=OuterRef("tenant"), author_number=OuterRef("number"))
                  .values("tenant", "author_number")[:1])
        self.assertEqual(sorted(Member.objects.filter(pk=posted).values_list("name", flat=True)), ["ann", "cid"])

    def test_update_and_delete_by_key(self):
        self.assertEqual(Member.objects.filter(pk=(self.acme.pk, 2)).update(name="robert"), 1)
        self.assertEqual(documents(Member, number=2), [{"tenant_id": self.acme.pk, "number": 2, "name": "robert"}])
        self.bob.refresh_from_db()
        self.bob.name = "bobby"
        self.bob.save()
        self.assertEqual(documents(Member, number=2)[0]["name"], "bobby")
        self.bob.delete()
        self.assertEqual([doc["name"] for doc in documents(Member)], ["ann", "cid"])

    def test_bulk_create_ignoring_conflicts(self):
        Member.objects.bulk_create(
            [Member(tenant=self.acme, number=1, name="clash"), Member(tenant=self.acme, number=3, name="dee")],
            ignore_conflicts=True,
        )
        self.assertEqual([doc["name"] for doc in documents(Member)], ["ann", "bob", "cid", "dee"])

    def test_select_related_across_a_multi_column_foreign_object(self):
        posts = Post.objects.select_related("author").filter(author__isnull=False).order_by("title")
        with self.assertNumQueries(1):
            self.assertEqual([(post.title, post.author.name) for post in posts], [("ann's", "ann"), ("cid's", "cid")])
        self.assertEqual(sorted(post.title for post in self.ann.posts.all()), ["ann's"])

    def test_serializers_round_trip(self):
        data = serializers.serialize("json", Member.objects.filter(tenant=self.acme).order_by("number"))
        self.assertEqual([item["fields"]["name"] for item in json.loads(data)], ["ann", "bob"])
        Member.objects.filter(tenant=self.acme).delete()
        for item in serializers.deserialize("json", data):
            item.save()
        self.assertEqual([doc["name"] for doc in documents(Member, tenant_id=self.acme.pk)], ["ann", "bob"])

    def test_dumpdata_and_loaddata(self):
        out = io.StringIO()
        call_command("dumpdata", "composite.member", stdout=out)
        Member.objects.all().delete()
        self.assertEqual(documents(Member), [])
        with tempfile.NamedTemporaryFile("w", suffix=".json") as file:
            file.write(out.getvalue())
            file.flush()
            call_command("loaddata", file.name, verbosity=0)
        self.assertEqual([doc["name"] for doc in documents(Member)], ["ann", "bob", "cid"])
