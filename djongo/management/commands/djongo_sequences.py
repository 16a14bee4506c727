"""
Report, and with --fix repair, auto-increment counters of ``__schema__``
that are behind the ids stored in their collections.

A counter falls behind when documents get ids without djongo handing them
out: data copied in from another database, ``mongo_insert_one()``,
mongoimport, mongorestore of one collection. The next Django INSERT would
then reuse a stored id. See docs/existing-databases.md.

Processes reserve ids in blocks (docs/how-it-works.md#ids), so a counter
is normally ahead of the largest stored id by the ids reserved and not yet
used; only a counter behind it is reported. After a fix, the process that
ran it gives up its blocks, and any other process that holds a block with
ids now taken finds that out at its next insert and reserves a new block.
"""
from django.core.management.base import BaseCommand
from django.db import DEFAULT_DB_ALIAS, connections
from pymongo import DESCENDING


class Command(BaseCommand):
    help = (
        "Report every __schema__ auto-increment counter that is behind the largest id stored in "
        "its collection; with --fix, move those counters forward."
    )
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument(
            "--database", default=DEFAULT_DB_ALIAS, choices=tuple(connections),
            help='The database alias to check. Defaults to "default".',
        )
        parser.add_argument(
            "--fix", action="store_true",
            help="Move each counter that is behind to the largest stored id (never backwards).",
        )

    def handle(self, *args, database, fix, verbosity, **options):
        connection = connections[database]
        connection.ensure_connection()
        sequences = connection.connection.sequences
        mongo_database = connection.mongo_database
        behind = 0
        for table, field, seq in sequences.counters():
            largest = largest_id(mongo_database[table], field)
            if largest is None or largest <= seq:
                if verbosity >= 2:
                    reserved = seq - (largest or 0)
                    self.stdout.write(
                        f"{table}.{field}: sequence {seq}, largest id {largest}: ok"
                        + (f" ({reserved} reserved and not yet used)" if reserved else "")
                    )
                continue
            behind += 1
            if not fix:
                self.stdout.write(self.style.WARNING(
                    f"{table}.{field}: sequence {seq} is behind the largest id {largest}"
                ))
                continue
            moved = sequences.advance_to(table, largest)
            self.stdout.write(self.style.SUCCESS(f"{table}.{field}: sequence moved from {seq} to {moved}"))
        if behind and fix:
            # This process's blocks were reserved below the new counters.
            sequences.discard()
        if not behind:
            self.stdout.write("All sequences are up to date.")
        elif not fix:
            self.stdout.write(f"{behind} sequence(s) behind; run with --fix to move them forward.")


def largest_id(collection, field):
    """Return the largest number stored in ``field`` of ``collection``, or None if there is none."""
    # Only numbers: in MongoDB's sort order strings and other types sort
    # above numbers, and they cannot collide with the counter's ids.
    document = collection.find_one(
        {field: {"$type": "number"}}, {field: 1}, sort=[(field, DESCENDING)],
    )
    return None if document is None else document[field]
