"""
djongo's own fields in the admin, in a browser: an EmbeddedField's nested
form, an ArrayField's rows, and FileField and ImageField uploads kept in
GridFS and served back.
"""
import io
import pathlib
import tempfile
import urllib.request

from PIL import Image

from tests.browser.base import AdminBrowserTestCase, collection
from tests.integration.embedded.models import Entry


def png_bytes(width, height):
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (200, 30, 60)).save(buffer, "PNG")
    return buffer.getvalue()


class EmbeddedFieldTests(AdminBrowserTestCase):

    def test_nested_form_adds_changes_and_searches_the_subdocument(self):
        self.log_in()
        self.open("/admin/embedded/entry/add/")
        # The Blog's fields are a form nested in the Entry's, prefixed with the field's name.
        nested = self.find(".djongo-embedded")
        self.assertEqual(
            [field.get_attribute("name") for field in nested.find_elements("css selector", "input, textarea")],
            ["blog-name", "blog-tagline"],
        )
        self.fill({"headline": "Meet the band", "blog-name": "Beatles Blog", "blog-tagline": "All the latest"})
        self.follow(self.find('input[name="_save"]'))

        self.assertEqual(self.messages(), ["The entry “Meet the band” was added successfully."])
        [doc] = collection("embedded_entry").find()
        self.assertEqual(doc["headline"], "Meet the band")
        self.assertEqual(doc["blog"], {"name": "Beatles Blog", "tagline": "All the latest"})
        self.assertEqual(
            [cell.text for cell in self.find_all("#result_list tbody tr td.field-blog_name")], ["Beatles Blog"],
        )

        self.follow_link("Meet the band", within="#result_list")
        self.assertEqual(self.path(), f"/admin/embedded/entry/{doc['id']}/change/")
        self.assertEqual(self.find('[name="blog-name"]').get_attribute("value"), "Beatles Blog")
        self.assertEqual(self.find('[name="blog-tagline"]').get_attribute("value"), "All the latest")
        self.fill({"blog-name": "Stones Blog", "blog-tagline": "Rock"})
        self.follow(self.find('input[name="_save"]'))

        self.assertEqual(self.messages(), ["The entry “Meet the band” was changed successfully."])
        [doc] = collection("embedded_entry").find()
        self.assertEqual(doc["blog"], {"name": "Stones Blog", "tagline": "Rock"})

        # EntryAdmin searches inside the subdocument (blog__name).
        search = self.find("#searchbar")
        search.send_keys("stones")
        self.follow(self.find('#changelist-search [type="submit"]'))
        self.assertEqual(self.result_rows(), ["Meet the band"])
        search = self.find("#searchbar")
        search.clear()
        search.send_keys("beatles")
        self.follow(self.find('#changelist-search [type="submit"]'))
        self.assertEqual(self.result_rows(), [])

    def test_sort_by_a_field_of_the_subdocument(self):
        for headline, blog in (("one", "Kinks"), ("two", "Animals"), ("three", "Zombies")):
            Entry.objects.create(headline=headline, blog={"name": blog, "tagline": ""})
        self.log_in()
        self.open("/admin/embedded/entry/")
        # EntryAdmin's "Blog" column sorts by blog__name, a key inside the subdocument.
        self.follow(self.find("#result_list th.column-blog_name .text a"))
        by_blog = [doc["headline"] for doc in collection("embedded_entry").find().sort("blog.name", 1)]
        self.assertEqual(by_blog, ["two", "one", "three"])
        self.assertEqual(self.result_rows(), by_blog)
        self.follow(self.find("#result_list th.column-blog_name .text a"))
        self.assertEqual(self.result_rows(), by_blog[::-1])

    def test_nested_field_error_keeps_the_document_out(self):
        self.log_in()
        self.open("/admin/embedded/entry/add/")
        # blog-name is required inside the nested form. The admin's forms are
        # novalidate, so the server's validation answers, not the browser's.
        self.assertEqual(self.find("#entry_form").get_attribute("novalidate"), "true")
        self.fill({"headline": "No blog"})
        self.follow(self.find('input[name="_save"]'))

        self.assertEqual(self.path(), "/admin/embedded/entry/add/")
        self.assertEqual(self.find("p.errornote").text, "Please correct the error below.")
        # The Blog's row says it has errors; the nested form says which, beside blog-name.
        self.assertIn("Please correct the errors in Blog below.", self.find(".field-blog").text)
        self.assertEqual(self.find(".djongo-embedded #id_blog-name_error").text, "This field is required.")
        self.assertEqual(self.find('[name="headline"]').get_attribute("value"), "No blog")
        self.assertEqual(collection("embedded_entry").count_documents({}), 0)


class ArrayFieldTests(AdminBrowserTestCase):

    def test_array_rows_are_added_and_deleted(self):
        self.log_in()
        self.open("/admin/embedded/bloglist/add/")
        # One empty row to add an element; the form posts its management form as the page renders it.
        self.fill({"headline": "Listed", "blog-0-name": "Djongo"})
        self.follow(self.find('input[name="_continue"]'))
        self.assertEqual(self.messages()[0], "The blog list “Listed” was added successfully. You may edit it again below.")
        [doc] = collection("embedded_bloglist").find()
        self.assertEqual(doc["blog"], [{"name": "Djongo"}])

        # The change page shows the element and one more empty row: fill it in.
        self.assertEqual(self.find('[name="blog-0-name"]').get_attribute("value"), "Djongo")
        self.fill({"blog-1-name": "Django"})
        self.follow(self.find('input[name="_continue"]'))
        [doc] = collection("embedded_bloglist").find()
        self.assertEqual(doc["blog"], [{"name": "Djongo"}, {"name": "Django"}])

        # Tick the first row's delete box and leave the new empty row empty.
        self.find('input[name="blog-0-DELETE"]').click()
        self.follow(self.find('input[name="_save"]'))
        self.assertEqual(self.messages(), ["The blog list “Listed” was changed successfully."])
        [doc] = collection("embedded_bloglist").find()
        self.assertEqual(doc["blog"], [{"name": "Django"}])
        self.assertEqual(self.find_all("#result_list tbody td.field-blog_names")[0].text, "Django")


class GridFSUploadTests(AdminBrowserTestCase):

    def setUp(self):
        super().setUp()
        uploads = tempfile.TemporaryDirectory(prefix="djongo-browser-")
        self.addCleanup(uploads.cleanup)
        self.uploads = pathlib.Path(uploads.name)

    def upload_file(self, name, content):
        """Write ``content`` to a file the browser can choose, and return its path."""
        path = self.uploads / name
        path.write_bytes(content)
        return str(path)

    def stored_file(self, name):
        """Return the GridFS description of ``name`` and its content, read from the chunks."""
        description = collection("mongo_api_files.files").find_one({"filename": name})
        self.assertIsNotNone(description, f"{name!r} is not in GridFS")
        chunks = collection("mongo_api_files.chunks").find({"files_id": description["_id"]}).sort("n", 1)
        return description, b"".join(chunk["data"] for chunk in chunks)

    def test_file_upload_lands_in_gridfs_and_is_served_back(self):
        content = b"Minutes of the meeting\nwe met, we agreed\n"
        self.log_in()
        self.open("/admin/mongo_api/document/add/")
        self.fill({"title": "Minutes"})
        self.find('input[name="attachment"]').send_keys(self.upload_file("minutes.txt", content))
        self.follow(self.find('input[name="_save"]'))

        self.assertEqual(self.messages(), ["The document “Minutes” was added successfully."])
        [doc] = collection("mongo_api_document").find()
        self.assertEqual(doc["attachment"], "documents/minutes.txt")
        description, stored = self.stored_file(doc["attachment"])
        self.assertEqual(stored, content)
        self.assertEqual(description["length"], len(content))
        self.assertEqual(description["metadata"]["contentType"], "text/plain")

        # The change page links the stored file; the browser follows the link.
        self.open(f"/admin/mongo_api/document/{doc['id']}/change/")
        link = self.find('.file-upload a[href="/files/documents/minutes.txt"]')
        self.follow(link)
        self.assertEqual(self.path(), "/files/documents/minutes.txt")
        self.assertEqual(self.find("body").text, content.decode().strip())
        with urllib.request.urlopen(self.live_server_url + "/files/documents/minutes.txt", timeout=10) as response:
            self.assertEqual(response.headers["Content-Type"], "text/plain")
            self.assertEqual(response.read(), content)

    def test_image_upload_records_its_size_and_is_shown(self):
        content = png_bytes(7, 3)
        self.log_in()
        self.open("/admin/mongo_api/profile/add/")
        self.fill({"name": "Bo"})
        self.find('input[name="avatar"]').send_keys(self.upload_file("face.png", content))
        self.follow(self.find('input[name="_save"]'))

        self.assertEqual(self.messages(), ["The profile “Bo” was added successfully."])
        [doc] = collection("mongo_api_profile").find()
        self.assertEqual((doc["avatar"], doc["avatar_width"], doc["avatar_height"]), ("face.png", 7, 3))
        description, stored = self.stored_file("face.png")
        self.assertEqual(stored, content)
        self.assertEqual(description["metadata"]["contentType"], "image/png")

        # Chromium decodes what the server sends back as the same 7x3 image.
        self.open("/files/face.png")
        image = self.find("img")
        self.wait().until(lambda driver: driver.execute_script("return arguments[0].complete", image))
        size = self.driver.execute_script("return [arguments[0].naturalWidth, arguments[0].naturalHeight]", image)
        self.assertEqual(size, [7, 3])
