"""System checks of a djongo database (``manage.py check --database``, and migrate)."""
from django.core import checks
from django.db.backends.base.validation import BaseDatabaseValidation

from djongo.servers import server_address


class DatabaseValidation(BaseDatabaseValidation):

    def check(self, **kwargs):
        issues = super().check(**kwargs)
        with self.connection.temporary_connection():
            supported = self.connection.features.supports_transactions
            address = server_address(self.connection.connection.client)
        if not supported:
            issues.append(checks.Warning(
                f"MongoDB at {address} runs no transactions: "
                "atomic() blocks apply each statement as it runs and cannot roll back.",
                hint="Run MongoDB as a replica set (one member is enough) to have transactions: "
                     "https://www.mongodb.com/docs/manual/tutorial/convert-standalone-to-replica-set/ . "
                     "Django checks this at every migrate and test; once you know, "
                     "SILENCED_SYSTEM_CHECKS = [\"djongo.W001\"] in settings silences it.",
                obj=f"DATABASES[{self.connection.alias!r}]",
                id="djongo.W001",
            ))
        return issues
