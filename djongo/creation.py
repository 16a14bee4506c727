"""Create and destroy test databases (``test_<NAME>``)."""
import sys

from django.db.backends.base.creation import BaseDatabaseCreation

from djongo import baseline, written
from djongo.database import forget_sequences


class DatabaseCreation(BaseDatabaseCreation):

    def create_test_db(self, *args, **kwargs):
        # The test database's clients record the writes that the flush
        # between tests undoes (written.py); Django closes the connection
        # before it migrates the test database, and reconnects with one.
        written.start_recording()
        # Django's own arguments, passed on as given: Django 6.1 deprecates
        # serialize, and warns when it is passed.
        name = super().create_test_db(*args, **kwargs)
        # The rows migrate left (content types, permissions...), which the
        # flush between tests puts back (baseline.py). Django ends connected;
        # without a connection (a test that mocks ensure_connection()) there
        # is no baseline, and the flush between tests empties every table.
        if self.connection.connection is not None:
            baseline.take(self.connection.mongo_database)
        return name

    def setup_worker_connection(self, _worker_id):
        written.start_recording()  # a spawned worker starts without it
        super().setup_worker_connection(_worker_id)
        # The clone holds what its source held after migrate.
        baseline.take(self.connection.mongo_database)

    def _create_test_db(self, verbosity, autoclobber, keepdb=False):
        name = self._get_test_db_name()
        if keepdb:
            return name
        client = self.connection.connection.client if self.connection.connection else None
        if client is None:
            self.connection.ensure_connection()
            client = self.connection.connection.client
        if name in client.list_database_names():
            if not autoclobber:
                confirm = input(
                    f"Type 'yes' if you would like to try deleting the test database '{name}', "
                    "or 'no' to cancel: "
                )
                if confirm != "yes":
                    self.log("Tests cancelled.")
                    sys.exit(1)
            if verbosity >= 1:
                self.log(f"Destroying old test database for alias {self._get_database_display_str(verbosity, name)}...")
            client.drop_database(name)
        # MongoDB creates a database on its first write; nothing else to do.
        forget_sequences(name)
        return name

    def _clone_test_db(self, suffix, verbosity, keepdb=False):
        """Copy the test database for one worker of ``manage.py test --parallel``."""
        source = self.connection.settings_dict["NAME"]
        target = self.get_test_db_clone_settings(suffix)["NAME"]
        self.connection.ensure_connection()
        client = self.connection.connection.client
        if keepdb and target in client.list_database_names():
            return
        client.drop_database(target)
        copy_database(client[source], client[target])
        forget_sequences(target)

    def _destroy_test_db(self, test_database_name, verbosity):
        self.connection.ensure_connection()
        self.connection.connection.client.drop_database(test_database_name)
        forget_sequences(test_database_name)
        baseline.forget(test_database_name)


# Documents copied per insert_many() when a database is cloned.
COPY_BATCH = 1000
# The options of a collection's validator, which a copy keeps.
VALIDATION_OPTIONS = ("validator", "validationLevel", "validationAction")


def copy_database(source, target):
    """
    Copy every collection of ``source`` into ``target``: documents, with
    their _id, indexes and validator. Done by the client, which any
    MongoDB-compatible server allows; the databases of a test run are small.
    """
    for info in source.list_collections():
        name = info["name"]
        # The validator holds the table's CHECK constraints (validators.py);
        # https://www.mongodb.com/docs/manual/reference/command/listCollections/#output
        options = info.get("options") or {}
        validation = {key: options[key] for key in VALIDATION_OPTIONS if key in options}
        destination = target.create_collection(name, **validation)
        batch = []
        for document in source[name].find():
            batch.append(document)
            if len(batch) == COPY_BATCH:
                destination.insert_many(batch, ordered=False)
                batch = []
        if batch:
            destination.insert_many(batch, ordered=False)
        for index in source[name].list_indexes():
            if index["name"] == "_id_":
                continue
            options = {key: value for key, value in index.items() if key not in ("v", "ns", "key")}
            destination.create_index(list(index["key"].items()), **options)
