"""Create and destroy test databases (``test_<NAME>``)."""
import sys

from django.db.backends.base.creation import BaseDatabaseCreation

from djongo.database import forget_sequences


class DatabaseCreation(BaseDatabaseCreation):

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

    def _destroy_test_db(self, test_database_name, verbosity):
        self.connection.ensure_connection()
        self.connection.connection.client.drop_database(test_database_name)
        forget_sequences(test_database_name)
