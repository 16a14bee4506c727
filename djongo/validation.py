"""System checks of a djongo database (``manage.py check --database``, and migrate)."""
from django.core import checks
from django.db.backends.base.validation import BaseDatabaseValidation

from djongo.servers import server_address


class DatabaseValidation(BaseDatabaseValidation):

    def check(self, **kwargs):
        issues = super().check(**kwargs)
        zone = self.connection.settings_dict.get("TIME_ZONE")
        if zone not in (None, "UTC", "Etc/UTC"):
            # Django lets a backend without time zone support keep wall times
            # of the zone TIME_ZONE names (a legacy database's); BSON dates
            # are UTC instants, which djongo stores and reads as such.
            issues.append(checks.Warning(
                f"TIME_ZONE {zone!r} of DATABASES[{self.connection.alias!r}] is not used: djongo stores "
                "datetimes as BSON dates, UTC instants, and reads them as such.",
                hint="Remove TIME_ZONE from the database's settings; Django's own TIME_ZONE and USE_TZ work "
                     "as on any backend.",
                obj=f"DATABASES[{self.connection.alias!r}]",
                id="djongo.W002",
            ))
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
