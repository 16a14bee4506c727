"""
ObjectIdField, GenericObjectIdField and ArrayReferenceField through the ORM
and the admin, checking what MongoDB stores as well as what Django returns.
The models are in tests/integration/objectids/models.py.
"""
from bson import ObjectId
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Exists, OuterRef, Prefetch, Subquery
from django.test import TestCase
from django.urls import reverse

from djongo.models import ObjectIdField
from tests.integration.objectids.models import Author, Entry, Magazine, Publisher, Tag

PASSWORD = "s3cret-Passw0rd"


def collection(model):
    return connection.mongo_database[model._meta.db_table]


class ObjectIdPrimaryKeyTests(TestCase):

    def test_save_generates_the_documents_id(self):
        publisher = Publisher.objects.create(name="Acme")
        self.assertIsInstance(publisher.pk, ObjectId)
        self.assertEqual(publisher._id, publisher.pk)
        document = collection(Publisher).find_one({"name": "Acme"})
        self.assertEqual(document, {"_id": publisher.pk, "name": "Acme"})

    def test_default_auto_field_is_stored_as_id(self):
        magazine = Magazine.objects.create(title="Monthly")
        self.assertIsInstance(Magazine._meta.pk, ObjectIdField)
        self.assertEqual(Magazine._meta.pk.name, "id")
        self.assertIsInstance(magazine.id, ObjectId)
        document = collection(Magazine).find_one({"_id": magazine.id})
        self.assertEqual(document["title"], "Monthly")
        self.assertNotIn("id", document)
        self.assertIsNone(connection.mongo_database["__schema__"].find_one({"name": Magazine._meta.db_table}))

    def test_get_by_string_and_by_object_id(self):
        publisher = Publisher.objects.create(name="Acme")
        self.assertEqual(Publisher.objects.get(pk=str(publisher.pk)), publisher)
        self.assertEqual(Publisher.objects.get(pk=publisher.pk), publisher)
        self.assertEqual(Publisher.objects.get(_id=str(publisher.pk)).name, "Acme")
        self.assertEqual(list(Publisher.objects.filter(pk__in=[str(publisher.pk)])), [publisher])
        with self.assertRaises(Publisher.DoesNotExist):
            Publisher.objects.get(pk=ObjectId())
        with self.assertRaisesMessage(ValueError, "expected an ObjectId"):
            Publisher.objects.get(pk="not-an-id")

    def test_to_python(self):
        field = Publisher._meta.pk
        oid = ObjectId()
        self.assertEqual(field.to_python(str(oid)), oid)
        self.assertEqual(field.to_python(oid), oid)
        self.assertIsNone(field.to_python(""))
        with self.assertRaises(ValidationError):
            field.to_python("123")

    def test_explicit_id_is_kept(self):
        oid = ObjectId()
        publisher = Publisher.objects.create(_id=oid, name="Given")
        self.assertEqual(publisher.pk, oid)
        self.assertEqual(collection(Publisher).find_one({"_id": oid})["name"], "Given")

    def test_update_and_delete_by_object_id(self):
        publisher = Publisher.objects.create(name="Acme")
        publisher.name = "Acme Inc."
        publisher.save()
        self.assertEqual(collection(Publisher).count_documents({}), 1)
        self.assertEqual(collection(Publisher).find_one({"_id": publisher.pk})["name"], "Acme Inc.")
        publisher.delete()
        self.assertEqual(collection(Publisher).count_documents({}), 0)

    def test_bulk_create_returns_the_generated_ids(self):
        magazines = Magazine.objects.bulk_create([Magazine(title="A"), Magazine(title="B")])
        ids = [magazine.pk for magazine in magazines]
        self.assertTrue(all(isinstance(pk, ObjectId) for pk in ids))
        stored = {doc["_id"]: doc["title"] for doc in collection(Magazine).find()}
        self.assertEqual(stored, {ids[0]: "A", ids[1]: "B"})

    def test_foreign_key_stores_the_object_id(self):
        publisher = Publisher.objects.create(name="Acme")
        magazine = Magazine.objects.create(title="Monthly", publisher=publisher)
        document = collection(Magazine).find_one({"_id": magazine.pk})
        self.assertEqual(document["publisher_id"], publisher.pk)
        self.assertIsInstance(document["publisher_id"], ObjectId)
        fetched = Magazine.objects.select_related("publisher").get(pk=str(magazine.pk))
        self.assertEqual(fetched.publisher.name, "Acme")
        self.assertEqual(list(Magazine.objects.filter(publisher__name="Acme")), [magazine])
        self.assertEqual(list(Magazine.objects.filter(publisher=str(publisher.pk))), [magazine])
        self.assertEqual(list(publisher.magazine_set.all()), [magazine])
        publisher.delete()  # CASCADE
        self.assertEqual(collection(Magazine).count_documents({}), 0)

    def test_generic_object_id_field(self):
        oid = ObjectId()
        magazine = Magazine.objects.create(title="Old", legacy_id=str(oid))
        self.assertEqual(collection(Magazine).find_one({"_id": magazine.pk})["legacy_id"], oid)
        self.assertEqual(Magazine.objects.get(legacy_id=str(oid)).legacy_id, oid)
        self.assertIsNone(Magazine.objects.create(title="New").legacy_id)  # not generated

    def test_url_reversing(self):
        publisher = Publisher.objects.create(name="Acme")
        url = reverse("admin:objectids_publisher_change", args=(publisher.pk,))
        self.assertEqual(url, f"/admin/objectids/publisher/{publisher.pk}/change/")


class ObjectIdAdminTests(TestCase):

    @classmethod
    def setUpTestData(cls):
        cls.admin_user = User.objects.create_superuser("boss", "boss@example.com", PASSWORD)

    def setUp(self):
        self.client.login(username="boss", password=PASSWORD)

    def test_add_and_change_through_the_admin(self):
        response = self.client.post("/admin/objectids/publisher/add/", {"name": "Added"})
        self.assertEqual(response.status_code, 302, response.content[:2000])
        document = collection(Publisher).find_one({"name": "Added"})
        self.assertIsInstance(document["_id"], ObjectId)
        change_url = f"/admin/objectids/publisher/{document['_id']}/change/"
        self.assertEqual(self.client.get(change_url).status_code, 200)
        response = self.client.post(change_url, {"name": "Changed"})
        self.assertEqual(response.status_code, 302)
        self.assertEqual(collection(Publisher).find_one({"_id": document["_id"]})["name"], "Changed")
        self.assertEqual(collection(Publisher).count_documents({}), 1)

    def test_foreign_key_and_generic_object_id_through_the_admin(self):
        publisher = Publisher.objects.create(name="Acme")
        legacy = ObjectId()
        response = self.client.post("/admin/objectids/magazine/add/", {
            "title": "Weekly", "publisher": str(publisher.pk), "legacy_id": str(legacy),
        })
        self.assertEqual(response.status_code, 302, response.content[:3000])
        document = collection(Magazine).find_one({"title": "Weekly"})
        self.assertEqual((document["publisher_id"], document["legacy_id"]), (publisher.pk, legacy))
        change_url = reverse("admin:objectids_magazine_change", args=(document["_id"],))
        response = self.client.get(change_url)
        self.assertContains(response, str(legacy))
        response = self.client.post(change_url, {"title": "Weekly", "publisher": "", "legacy_id": "bad"})
        self.assertEqual(response.status_code, 200)  # the form shows the error
        self.assertContains(response, "Enter a valid ObjectId")

    def test_unknown_or_malformed_id_redirects_to_the_changelist(self):
        for object_id in (ObjectId(), "nothex"):
            response = self.client.get(f"/admin/objectids/publisher/{object_id}/change/")
            self.assertEqual(response.status_code, 302)

    def test_changelist_and_delete(self):
        publisher = Publisher.objects.create(name="Acme")
        changelist = self.client.get("/admin/objectids/publisher/")
        self.assertContains(changelist, f"/admin/objectids/publisher/{publisher.pk}/change/")
        response = self.client.post(f"/admin/objectids/publisher/{publisher.pk}/delete/", {"post": "yes"})
        self.assertEqual(response.status_code, 302)
        self.assertEqual(collection(Publisher).count_documents({}), 0)


class ArrayReferenceFieldTests(TestCase):

    @classmethod
    def setUpTestData(cls):
        cls.ann = Author.objects.create(name="Ann")
        cls.bob = Author.objects.create(name="Bob")
        cls.cid = Author.objects.create(name="Cid")

    def stored(self, entry, column="authors"):
        return collection(Entry).find_one({"_id": entry.pk})[column]

    def test_new_entry_stores_an_empty_array(self):
        entry = Entry.objects.create(headline="Empty")
        self.assertEqual(self.stored(entry), [])
        self.assertEqual(list(entry.authors.all()), [])

    def test_create_with_a_list(self):
        entry = Entry.objects.create(headline="Two", authors=[self.ann, self.bob])
        self.assertEqual(self.stored(entry), [self.ann.pk, self.bob.pk])
        self.assertEqual(entry.authors_id, [self.ann.pk, self.bob.pk])
        self.assertEqual(Entry.objects.get(pk=entry.pk).authors_id, [self.ann.pk, self.bob.pk])

    def test_add_remove_clear_set_all(self):
        entry = Entry.objects.create(headline="Managed")
        entry.authors.add(self.ann, self.bob)
        self.assertEqual(self.stored(entry), [self.ann.pk, self.bob.pk])
        entry.authors.add(self.ann)  # already there: no repeat
        self.assertEqual(self.stored(entry), [self.ann.pk, self.bob.pk])
        self.assertEqual(sorted(a.name for a in entry.authors.all()), ["Ann", "Bob"])
        entry.authors.remove(self.ann)
        self.assertEqual(self.stored(entry), [self.bob.pk])
        self.assertEqual(entry.authors_id, [self.bob.pk])
        entry.authors.set([self.cid, self.ann])
        self.assertEqual(self.stored(entry), [self.cid.pk, self.ann.pk])
        self.assertEqual(entry.authors.count(), 2)
        self.assertEqual(entry.authors.filter(name="Cid").get(), self.cid)
        entry.authors.clear()
        self.assertEqual(self.stored(entry), [])
        dan = entry.authors.create(name="Dan")
        self.assertEqual(self.stored(entry), [dan.pk])

    def test_add_by_key_and_object_id_references(self):
        entry = Entry.objects.create(headline="Keys")
        entry.authors.add(self.bob.pk)
        tag = Tag.objects.create(name="mongo")
        entry.tags.add(str(tag.pk))
        self.assertEqual(self.stored(entry), [self.bob.pk])
        self.assertEqual(self.stored(entry, "tags"), [tag.pk])
        self.assertIsInstance(self.stored(entry, "tags")[0], ObjectId)
        self.assertEqual(list(Entry.objects.get(pk=entry.pk).tags.all()), [tag])

    def test_unsaved_instance_cannot_be_changed(self):
        with self.assertRaisesMessage(ValueError, "needs a value"):
            Entry(headline="Unsaved").authors.add(self.ann)

    def test_filters_across_the_array(self):
        one = Entry.objects.create(headline="One", authors=[self.ann])
        two = Entry.objects.create(headline="Two", authors=[self.ann, self.bob])
        Entry.objects.create(headline="None")
        self.assertEqual(set(Entry.objects.filter(authors=self.ann)), {one, two})
        self.assertEqual(list(Entry.objects.filter(authors=self.bob)), [two])
        self.assertEqual(list(Entry.objects.filter(authors__name="Bob")), [two])
        self.assertEqual(set(Entry.objects.filter(authors__name__startswith="A")), {one, two})
        self.assertEqual(set(Entry.objects.filter(authors__in=[self.bob, self.cid])), {two})
        self.assertEqual(list(Entry.objects.exclude(authors=self.ann).values_list("headline", flat=True)), ["None"])
        # A join yields a row per matching element, as a many-to-many join does.
        self.assertEqual(Entry.objects.filter(authors__name__in=["Ann", "Bob"]).count(), 3)
        matches = Entry.objects.filter(authors__name__in=["Ann", "Bob"])
        self.assertEqual(sorted(matches.values_list("headline", flat=True).distinct()), ["One", "Two"])

    def test_exclude_and_chained_filters_across_the_array(self):
        # Django reuses a foreign key's join, so exclude() and a second
        # filter() test each (entry, author) row of the join on its own, not
        # the whole array as for a many-to-many (see "Filters" in
        # docs/objectid-and-references.md for why the field cannot change
        # that). A subquery on the keys tests the whole array.
        one = Entry.objects.create(headline="One", authors=[self.ann, self.bob])
        two = Entry.objects.create(headline="Two", authors=[self.bob])
        none = Entry.objects.create(headline="None")
        anns = Author.objects.filter(name="Ann")
        bobs = Author.objects.filter(name="Bob")
        # Per joined row: One's (One, Bob) row is not Ann's, so One stays.
        self.assertEqual(set(Entry.objects.exclude(authors__name="Ann")), {one, two, none})
        self.assertEqual(list(Entry.objects.filter(authors__name="Ann").filter(authors__name="Bob")), [])
        # Whole arrays, as a many-to-many gives: no author is Ann; an Ann and a Bob.
        self.assertEqual(set(Entry.objects.exclude(authors__in=anns)), {two, none})
        self.assertEqual(list(Entry.objects.filter(authors__in=anns).filter(authors__in=bobs)), [one])
        with_ann = Entry.objects.filter(authors__name="Ann")
        self.assertEqual(set(Entry.objects.exclude(pk__in=with_ann)), {two, none})
        # On the keys themselves no join is needed, and the array is tested whole.
        self.assertEqual(set(Entry.objects.exclude(authors=self.ann)), {two, none})
        self.assertEqual(list(Entry.objects.filter(authors=self.ann).filter(authors=self.bob)), [one])

    def test_exclude_across_the_reverse_join(self):
        # Django's reverse join is multi-valued, so exclude() becomes NOT
        # EXISTS (... WHERE ARRAY_HOLDS(U1."authors", "objectids_author"."id")).
        Entry.objects.create(headline="One", authors=[self.ann, self.bob])
        Entry.objects.create(headline="Two", authors=[self.bob])
        self.assertEqual(list(Author.objects.exclude(entry__headline="One")), [self.cid])
        self.assertEqual(list(Author.objects.exclude(entry__headline="Two")), [self.ann, self.cid])
        self.assertEqual(list(Author.objects.exclude(entry__headline__in=["One", "Two"])), [self.cid])
        # The same comparison in a subquery written by hand.
        in_two = Entry.objects.filter(authors=OuterRef("pk"), headline="Two")
        self.assertEqual(list(Author.objects.filter(Exists(in_two))), [self.bob])
        last = Entry.objects.filter(authors=OuterRef("pk")).order_by("-headline").values("headline")[:1]
        self.assertEqual(
            list(Author.objects.annotate(last=Subquery(last)).order_by("name").values_list("name", "last")),
            [("Ann", "One"), ("Bob", "Two"), ("Cid", None)],
        )

    def test_workaround_for_exclude_across_the_reverse_join(self):
        Entry.objects.create(headline="One", authors=[self.ann, self.bob])
        Entry.objects.create(headline="Two", authors=[self.bob])
        in_one = Author.objects.filter(entry__headline="One")
        self.assertEqual(list(Author.objects.exclude(pk__in=in_one)), [self.cid])
        # Chained filters across the reverse join already make a join each, as for a many-to-many.
        self.assertEqual(list(Author.objects.filter(entry__headline="One").filter(entry__headline="Two")), [self.bob])

    def test_queryset_update_and_get_or_create(self):
        entry = Entry.objects.create(headline="One")
        Entry.objects.filter(pk=entry.pk).update(authors=[self.cid, self.ann])
        self.assertEqual(self.stored(entry), [self.cid.pk, self.ann.pk])
        entry.refresh_from_db()
        zed, created = entry.authors.get_or_create(name="Zed")
        self.assertTrue(created)
        self.assertEqual(self.stored(entry), [self.cid.pk, self.ann.pk, zed.pk])
        self.assertEqual(entry.authors.get_or_create(name="Zed"), (zed, False))

    def names(self, authors):
        return [author.name for author in authors]

    def test_prefetch_fills_each_array_in_its_order(self):
        one = Entry.objects.create(headline="One", authors=[self.bob, self.ann])
        Entry.objects.create(headline="Two", authors=[self.bob])
        Entry.objects.create(headline="Three", authors=[999])  # a dangling key is skipped
        with self.assertNumQueries(2):  # the entries, then the union of their arrays
            entries = list(Entry.objects.order_by("headline").prefetch_related("authors"))
        with self.assertNumQueries(0):
            self.assertEqual(
                {entry.headline: self.names(entry.authors.all()) for entry in entries},
                {"One": ["Bob", "Ann"], "Two": ["Bob"], "Three": []},
            )
            self.assertEqual([entry.authors.count() for entry in entries], [2, 0, 1])
        # As from a many-to-many join, each entry has its own Author instances.
        self.assertIsNot(entries[0].authors.all()[0], entries[2].authors.all()[0])
        # An entry repeated by a join gets its array once.
        with self.assertNumQueries(2):
            repeated = Entry.objects.filter(authors__name__in=["Ann", "Bob"], pk=one.pk)
            repeated = list(repeated.prefetch_related("authors"))
        self.assertEqual([self.names(entry.authors.all()) for entry in repeated], [["Bob", "Ann"]] * 2)

    def test_prefetch_with_a_queryset(self):
        Entry.objects.create(headline="One", authors=[self.bob, self.ann])
        Entry.objects.create(headline="Two", authors=[self.cid, self.bob])
        entries = Entry.objects.order_by("headline")
        with self.assertNumQueries(2):  # an ordered queryset keeps its order
            by_name = [self.names(entry.authors.all()) for entry in
                       entries.prefetch_related(Prefetch("authors", Author.objects.order_by("name")))]
        self.assertEqual(by_name, [["Ann", "Bob"], ["Bob", "Cid"]])
        with self.assertNumQueries(2):
            bobs = [self.names(entry.bobs) for entry in
                    entries.prefetch_related(Prefetch("authors", Author.objects.filter(name="Bob"), to_attr="bobs"))]
        self.assertEqual(bobs, [["Bob"], ["Bob"]])
        with self.assertNumQueries(2):  # a slice applies to each entry's rows
            last = [self.names(entry.last) for entry in
                    entries.prefetch_related(Prefetch("authors", Author.objects.order_by("-name")[:1], to_attr="last"))]
        self.assertEqual(last, [["Bob"], ["Cid"]])

    def test_prefetch_the_referencing_rows(self):
        one = Entry.objects.create(headline="One", authors=[self.ann, self.bob])
        two = Entry.objects.create(headline="Two", authors=[self.bob])
        with self.assertNumQueries(2):  # the authors, then the entries whose array holds any of them
            authors = list(Author.objects.order_by("name").prefetch_related("entry_set"))
        with self.assertNumQueries(0):
            self.assertEqual([set(author.entry_set.all()) for author in authors], [{one}, {one, two}, set()])
        newest_first = Entry.objects.order_by("-headline")
        with self.assertNumQueries(2):
            authors = list(Author.objects.order_by("name").prefetch_related(Prefetch("entry_set", newest_first)))
        self.assertEqual([list(author.entry_set.all()) for author in authors], [[one], [two, one], []])
        # ObjectId keys and a related_name.
        tag = Tag.objects.create(name="mongo")
        one.tags.add(tag)
        with self.assertNumQueries(2):
            self.assertEqual([list(tag.entries.all()) for tag in Tag.objects.prefetch_related("entries")], [[one]])

    def test_nested_prefetch(self):
        Entry.objects.create(headline="One", authors=[self.ann, self.bob])
        Entry.objects.create(headline="Two", authors=[self.bob])
        with self.assertNumQueries(3):
            entries = Entry.objects.order_by("headline").prefetch_related("authors__entry_set")
            found = {
                entry.headline: {author.name: sorted(e.headline for e in author.entry_set.all())
                                 for author in entry.authors.all()}
                for entry in entries
            }
        self.assertEqual(found, {"One": {"Ann": ["One"], "Bob": ["One", "Two"]}, "Two": {"Bob": ["One", "Two"]}})

    def test_empty_arrays_prefetch_nothing(self):
        Entry.objects.create(headline="Empty")
        with self.assertNumQueries(1):
            self.assertEqual([list(entry.authors.all()) for entry in Entry.objects.prefetch_related("authors")], [[]])

    def test_changes_drop_the_prefetched_rows(self):
        Entry.objects.create(headline="One", authors=[self.ann])
        entry = Entry.objects.prefetch_related("authors").get()
        entry.authors.add(self.bob)
        self.assertEqual(sorted(self.names(entry.authors.all())), ["Ann", "Bob"])
        entry = Entry.objects.prefetch_related("authors").get()
        entry.authors = [self.cid]
        self.assertEqual(self.names(entry.authors.all()), ["Cid"])
        author = Author.objects.prefetch_related("entry_set").get(pk=self.cid.pk)
        self.assertEqual(list(author.entry_set.all()), [])
        author.entry_set.add(entry)
        self.assertEqual(list(author.entry_set.all()), [entry])
        self.assertEqual(self.stored(entry), [self.ann.pk, self.bob.pk, self.cid.pk])

    def test_reverse_accessor(self):
        one = Entry.objects.create(headline="One", authors=[self.ann])
        two = Entry.objects.create(headline="Two", authors=[self.ann, self.bob])
        self.assertEqual(set(self.ann.entry_set.all()), {one, two})
        self.assertEqual(list(self.bob.entry_set.all()), [two])
        self.assertEqual(set(Author.objects.filter(entry__headline="Two")), {self.ann, self.bob})
        self.cid.entry_set.add(one)
        self.assertEqual(self.stored(one), [self.ann.pk, self.cid.pk])
        self.ann.entry_set.remove(two)
        self.assertEqual(self.stored(two), [self.bob.pk])
        self.ann.entry_set.clear()
        self.assertEqual(self.stored(one), [self.cid.pk])

    def test_deleting_a_referenced_row_pulls_its_key(self):
        one = Entry.objects.create(headline="One", authors=[self.ann, self.bob])
        two = Entry.objects.create(headline="Two", authors=[self.bob])
        self.bob.delete()
        self.assertEqual(self.stored(one), [self.ann.pk])
        self.assertEqual(self.stored(two), [])
        self.assertEqual(Entry.objects.count(), 2)
        Author.objects.filter(name="Ann").delete()
        self.assertEqual(self.stored(one), [])

    def test_full_clean_checks_the_keys_exist(self):
        entry = Entry(headline="Bad", authors_id=[self.ann.pk, 999])
        with self.assertRaises(ValidationError):
            entry.full_clean()
        Entry(headline="Good", authors_id=[self.ann.pk]).full_clean()

    def test_admin_form_saves_the_array(self):
        User.objects.create_superuser("boss", "boss@example.com", PASSWORD)
        self.client.login(username="boss", password=PASSWORD)
        response = self.client.post("/admin/objectids/entry/add/", {
            "headline": "Via admin", "authors": [str(self.ann.pk), str(self.cid.pk)],
        })
        self.assertEqual(response.status_code, 302, response.content[:3000])
        document = collection(Entry).find_one({"headline": "Via admin"})
        self.assertEqual(document["authors"], [self.ann.pk, self.cid.pk])
        change_url = reverse("admin:objectids_entry_change", args=(document["_id"],))
        self.assertEqual(self.client.get(change_url).status_code, 200)
        response = self.client.post(change_url, {"headline": "Via admin", "authors": [str(self.bob.pk)]})
        self.assertEqual(response.status_code, 302)
        self.assertEqual(collection(Entry).find_one({"_id": document["_id"]})["authors"], [self.bob.pk])
