"""inspectdb's embedded models: sampled subdocuments in, container descriptions out (no server)."""
import unittest

from bson import ObjectId

from djongo.introspection import MIXED, DatabaseIntrospection, describe_documents, describe_subdocuments
from djongo.management.commands.inspectdb import ClassName, camel_case


def shape(description):
    """Return ``description`` as {name: (type, null, nested shape or note)}, for comparing at a glance."""
    return {
        info.name: (info.type_code, info.null_ok, shape(info.embedded) if info.embedded is not None else info.note)
        for info in description
    }


class EmbeddedDocumentsTests(unittest.TestCase):

    def describe(self, *values, name="field"):
        """Describe documents holding ``values`` in ``name`` (None: a document without it)."""
        documents = [{} if value is None else {name: value} for value in values]
        return shape(describe_documents(documents))[name]

    def test_subdocuments_become_an_embedded_field_of_their_keys_union(self):
        self.assertEqual(
            self.describe({"city": "Oslo", "zip": "0150"}, {"city": "Rome"}, {"city": "Bergen", "zip": None}),
            ("EmbeddedField", False, {
                "city": ("TextField", False, None),
                "zip": ("TextField", True, None),
            }),
        )

    def test_a_document_without_the_subdocument_makes_it_nullable(self):
        self.assertEqual(
            self.describe({"city": "Oslo"}, None),
            ("EmbeddedField", True, {"city": ("TextField", False, None)}),
        )
        self.assertEqual(self.describe({"city": "Oslo"}, {"field": None})[:2], ("EmbeddedField", False))

    def test_nesting(self):
        self.assertEqual(
            self.describe(
                {"city": "Oslo", "geo": {"lat": 59.9, "lng": 10}},
                {"city": "Rome", "geo": {"lat": 41.9, "lng": 12.5, "alt": 21}},
                {"city": "Nowhere"},
            ),
            ("EmbeddedField", False, {
                "city": ("TextField", False, None),
                "geo": ("EmbeddedField", True, {
                    "lat": ("FloatField", False, None),
                    "lng": ("FloatField", False, None),
                    "alt": ("IntegerField", True, None),
                }),
            }),
        )

    def test_arrays_of_subdocuments_become_an_array_field_of_their_elements(self):
        self.assertEqual(
            self.describe([{"sku": "a", "qty": 1}, {"sku": "b", "qty": 2, "gift": True}], [], [{"sku": "c", "qty": 3}]),
            ("ArrayField", False, {
                "sku": ("TextField", False, None),
                "qty": ("IntegerField", False, None),
                "gift": ("BooleanField", True, None),
            }),
        )

    def test_arrays_inside_subdocuments_and_subdocuments_inside_arrays(self):
        self.assertEqual(
            self.describe([{"sku": "a", "box": {"size": 2}, "parts": [{"n": 1}]}]),
            ("ArrayField", False, {
                "sku": ("TextField", False, None),
                "box": ("EmbeddedField", False, {"size": ("IntegerField", False, None)}),
                "parts": ("ArrayField", False, {"n": ("IntegerField", False, None)}),
            }),
        )

    def test_object_ids_in_subdocuments_are_generic(self):
        # A subdocument has no primary key, so its _id is a plain field.
        self.assertEqual(
            self.describe([{"_id": ObjectId()}]),
            ("ArrayField", False, {"_id": ("GenericObjectIdField", False, None)}),
        )

    def test_field_types_inside_subdocuments_follow_the_top_level_rules(self):
        self.assertEqual(
            self.describe({"n": 1, "m": "x"}, {"n": 2.5, "m": 3}),
            ("EmbeddedField", False, {"n": ("FloatField", False, None), "m": (MIXED, False, None)}),
        )

    def test_what_stays_json_says_why(self):
        for values, note in [
            ((["a", "b"], ["c"]), "Kept as JSON: the sampled arrays hold values other than subdocuments."),
            (([{"a": 1}, 2],), "Kept as JSON: the sampled arrays hold values other than subdocuments."),
            (([{"a": 1}, None],), "Kept as JSON: the sampled arrays hold values other than subdocuments."),
            (([[{"a": 1}]],), "Kept as JSON: the sampled arrays hold values other than subdocuments."),
            (([], []), "Kept as JSON: every sampled array is empty."),
            (({"a": 1}, [{"a": 1}]), "Kept as JSON: the sampled values mix subdocuments and arrays."),
            (({}, {}), "Kept as JSON: every sampled subdocument is empty."),
            (({"a.b": 1},), "Kept as JSON: the key 'a.b' cannot name a field of an embedded model."),
            (({"$ref": "x", "$id": 1},), "Kept as JSON: the key '$id' cannot name a field of an embedded model."),
            (([{"": 1}],), "Kept as JSON: the key '' cannot name a field of an embedded model."),
        ]:
            with self.subTest(values=values):
                self.assertEqual(self.describe(*values), ("JSONField", False, note))

    def test_only_the_subdocument_with_an_unusable_key_stays_json(self):
        self.assertEqual(
            self.describe({"city": "Oslo", "extra": {"a.b": 1}}),
            ("EmbeddedField", False, {
                "city": ("TextField", False, None),
                "extra": ("JSONField", False, "Kept as JSON: the key 'a.b' cannot name a field of an embedded model."),
            }),
        )

    def test_subdocuments_mixed_with_scalars_stay_a_guess(self):
        self.assertEqual(self.describe({"a": 1}, "text"), (MIXED, False, None))

    def test_a_subdocument_primary_key_stays_json(self):
        description = describe_documents([{"_id": {"a": 1, "b": 2}}], primary_key="_id")
        self.assertEqual(shape(description), {"_id": ("JSONField", False, None)})

    def test_describe_subdocuments_keeps_the_order_of_first_appearance(self):
        names = [info.name for info in describe_subdocuments([{"b": 1, "a": 1}, {"c": 1, "a": 2}])]
        self.assertEqual(names, ["b", "a", "c"])

    def test_describe_subdocuments_refuses_what_no_model_holds(self):
        with self.assertRaisesRegex(ValueError, "^every sampled subdocument is empty$"):
            describe_subdocuments([{}])


class GetFieldTypeTests(unittest.TestCase):

    def test_embedded_fields_are_json_for_djangos_own_inspectdb(self):
        # Without the container djongo's inspectdb writes, EmbeddedField
        # and ArrayField cannot work; get_field_type() needs no connection.
        introspection = DatabaseIntrospection(None)
        for type_code, expected in [("EmbeddedField", "JSONField"), ("ArrayField", "JSONField"),
                                    ("JSONField", "JSONField"), ("TextField", "TextField")]:
            with self.subTest(type_code=type_code):
                self.assertEqual(introspection.get_field_type(type_code, None), expected)
        with self.assertRaises(KeyError):
            introspection.get_field_type(MIXED, None)


class ContainerNamesTests(unittest.TestCase):

    def test_camel_case(self):
        for key, expected in [
            ("address", "Address"),
            ("home_address", "HomeAddress"),
            ("homeAddress", "HomeAddress"),
            ("first-name", "FirstName"),
            ("_id", "Id"),
            ("2nd", "2nd"),
        ]:
            with self.subTest(key=key):
                self.assertEqual(camel_case(key), expected)

    def test_class_names_are_written_as_names(self):
        self.assertEqual("model_container=%r" % ClassName("PeopleAddress"), "model_container=PeopleAddress")

