"""
GridFSStorage: a Django file storage that keeps files in MongoDB's GridFS,
and ``serve``, a view that streams them.

GridFS (https://www.mongodb.com/docs/manual/core/gridfs/) splits each file
into documents of ``<collection>.chunks`` and describes it with one document
of ``<collection>.files`` (filename, length, uploadDate, metadata). A
storage name is a GridFS filename; Django's ``get_available_name`` keeps
names unique, and ``_save`` re-checks after the upload so that two
concurrent saves of the same name never both keep it.

See https://docs.djangoproject.com/en/stable/ref/files/storage/ for the
Storage API and docs/gridfs.md for usage.
"""
import logging
import mimetypes
import re
from datetime import timezone
from urllib.parse import urljoin

import gridfs
from django.conf import settings
from django.core.files.base import File
from django.core.files.storage import Storage
from django.db import connections
from django.http import FileResponse, Http404, HttpResponseNotModified
from django.utils import timezone as django_timezone
from django.utils.deconstruct import deconstructible
from django.utils.encoding import filepath_to_uri
from django.utils.http import http_date
from django.views.static import was_modified_since

logger = logging.getLogger("djongo")

# How often save() picks a new name when a concurrent save took its name.
SAVE_ATTEMPTS = 10


class NameTaken(Exception):
    """Raised by _save() when another save stored the same name meanwhile."""


class GridFSFile(File):
    """
    A stored file, read from GridFS: a Django File around pymongo's
    GridOut, with the GridFS description at hand.
    """

    def __init__(self, grid_out, name, bucket):
        super().__init__(grid_out, name)
        self.grid_out = grid_out
        self.bucket = bucket

    def open(self, mode=None):
        """Rewind, or after close() read the same stored file again."""
        if mode not in (None, "r", "rb"):
            raise ValueError(f"GridFS files are read-only; open {self.name!r} with mode 'rb', not {mode!r}.")
        if self.closed:
            self.grid_out = self.file = self.bucket.open_download_stream(self.grid_out._id)
        else:
            self.seek(0)
        return self

    @property
    def size(self):
        return self.grid_out.length

    @property
    def content_type(self):
        return (self.grid_out.metadata or {}).get("contentType") or guess_content_type(self.name)

    @property
    def upload_date(self):
        """Return when the file was stored, as an aware datetime in UTC."""
        return self.grid_out.upload_date.replace(tzinfo=timezone.utc)


def guess_content_type(name):
    return mimetypes.guess_type(name)[0] or "application/octet-stream"


@deconstructible(path="djongo.storage.GridFSStorage")
class GridFSStorage(Storage):
    """
    Store files in the GridFS bucket ``collection`` of the MongoDB database
    that the Django database alias ``database`` uses.

    ``base_url`` prefixes names in url(); when None, ``settings.MEDIA_URL``
    is used, as Django's FileSystemStorage does.
    """

    def __init__(self, collection="storage", database="default", base_url=None):
        self.collection = collection
        self.database = database
        self._base_url = base_url

    @property
    def base_url(self):
        base_url = settings.MEDIA_URL if self._base_url is None else self._base_url
        if base_url and not base_url.endswith("/"):
            base_url += "/"
        return base_url

    @property
    def bucket(self):
        """Return the pymongo GridFSBucket of this storage."""
        # Looked up on each use: Django's connections are per thread, and
        # the test runner renames the database after the storage exists.
        return gridfs.GridFSBucket(connections[self.database].mongo_database, bucket_name=self.collection)

    @property
    def files(self):
        """Return the ``<collection>.files`` collection that describes the stored files."""
        return connections[self.database].mongo_database[f"{self.collection}.files"]

    def _describe(self, name):
        """Return the files document of ``name`` (its newest revision), or raise FileNotFoundError."""
        document = self.files.find_one({"filename": name}, sort=[("uploadDate", -1), ("_id", -1)])
        if document is None:
            raise FileNotFoundError(f"No file {name!r} in GridFS bucket {self.collection!r}.")
        return document

    # Storage API ---------------------------------------------------------

    def _open(self, name, mode="rb"):
        if mode not in ("r", "rb"):
            raise ValueError(f"GridFS files are read-only; open {name!r} with mode 'rb', not {mode!r}.")
        bucket = self.bucket
        try:
            grid_out = bucket.open_download_stream_by_name(name)
        except gridfs.errors.NoFile:
            raise FileNotFoundError(f"No file {name!r} in GridFS bucket {self.collection!r}.") from None
        return GridFSFile(grid_out, name, bucket)

    def save(self, name, content, max_length=None):
        """
        Save ``content`` under ``name``, or under a free name derived from
        it; return the name used.
        """
        for _ in range(SAVE_ATTEMPTS):
            try:
                return super().save(name, content, max_length=max_length)
            except NameTaken:
                # super().save() asks get_available_name() again, which
                # now sees the name taken and picks another.
                logger.debug("GridFS name %r taken by a concurrent save; retrying", name)
        raise FileExistsError(f"Could not find a free name for {name!r} in GridFS bucket {self.collection!r}.")

    def _save(self, name, content):
        content_type = getattr(content, "content_type", None) or guess_content_type(name)
        stream = self.bucket.open_upload_stream(name, metadata={"contentType": content_type})
        try:
            for chunk in content.chunks():
                stream.write(chunk)
        except BaseException:
            stream.abort()  # deletes the chunks already written
            raise
        stream.close()
        # Each save checks after its own upload is visible, so of two
        # concurrent saves of one name at least the later one sees both and
        # gives way (possibly both do, and both retry with new names).
        if self.files.count_documents({"filename": name, "_id": {"$ne": stream._id}}, limit=1):
            self.bucket.delete(stream._id)
            content.seek(0)
            raise NameTaken(name)
        return name

    def delete(self, name):
        """Delete every revision of ``name``; do nothing if there is none."""
        if not name:
            raise ValueError("The name must be given to delete().")
        for document in self.files.find({"filename": name}, {"_id": 1}):
            try:
                self.bucket.delete(document["_id"])
            except gridfs.errors.NoFile:  # deleted concurrently
                pass

    def exists(self, name):
        return self.files.count_documents({"filename": name}, limit=1) > 0

    def listdir(self, path):
        """
        Return the directories and files directly under ``path``, as two
        lists. GridFS has no directories: they are the "/"-separated
        prefixes of the stored names.
        """
        prefix = path.strip("/")
        prefix = f"{prefix}/" if prefix else ""
        names = self.files.distinct("filename", {"filename": {"$regex": f"^{re.escape(prefix)}"}})
        directories, files = set(), set()
        for name in names:
            rest = name[len(prefix):]
            if "/" in rest:
                directories.add(rest.split("/", 1)[0])
            elif rest:
                files.add(rest)
        return sorted(directories), sorted(files)

    def size(self, name):
        return self._describe(name)["length"]

    def url(self, name):
        url = filepath_to_uri(name)
        if url is not None:
            url = url.lstrip("/")
        return urljoin(self.base_url, url)

    def path(self, name):
        raise NotImplementedError("GridFS files have no local file system path; use open().")

    def get_modified_time(self, name):
        """Return when ``name`` was stored: GridFS files never change after their upload."""
        return self._datetime(self._describe(name)["uploadDate"])

    def get_created_time(self, name):
        return self.get_modified_time(name)

    # get_accessed_time() stays Storage's NotImplementedError: GridFS does
    # not record reads.

    def _datetime(self, value):
        # pymongo returns naive UTC datetimes unless the client is tz_aware.
        value = value.replace(tzinfo=timezone.utc)
        if settings.USE_TZ:
            return value
        return django_timezone.make_naive(value)


def serve(request, name, storage):
    """
    Stream the file ``name`` of ``storage`` (a GridFSStorage) with its
    content type, or raise Http404.

    Use it in a URLconf as django.views.static.serve is used::

        path("files/<path:name>", serve, {"storage": storage})

    It serves whatever is stored, to anyone who can reach the URL: wrap it
    (login_required, permission checks) where files are not public.
    """
    try:
        stored = storage.open(name)
    except FileNotFoundError:
        raise Http404(f"{name!r} does not exist") from None
    modified = stored.upload_date.timestamp()
    if not was_modified_since(request.META.get("HTTP_IF_MODIFIED_SINCE"), modified):
        stored.close()
        return HttpResponseNotModified()
    response = FileResponse(stored, content_type=stored.content_type)
    response["Content-Length"] = stored.size
    response["Last-Modified"] = http_date(modified)
    return response
