"""
The steps of the interrupted-migration tests, each in a process of its own:

    python -m tests.reliability.crash_project.run crash N
    python -m tests.reliability.crash_project.run finish

``crash N`` migrates an empty database to 0001, writes rows (two shelves,
three books), then runs the rest of ``migrate``, and kills the process
(os._exit, as SIGKILL would: nothing flushed, nothing cleaned up) just
before the Nth command pymongo sends to the server during the two
``migrate``s, so that every point between two of their commands is a point
to crash at. It exits with KILLED when killed, 0 when it finished first.

``finish`` does what a user would after the crash: runs ``migrate`` to 0001
again, writes the rows if the crash came before them, runs ``migrate``
again, then checks what the three migrations promise and prints what it
found as JSON: the rows, the indexes, whether the unique constraint holds
and the migrations recorded as applied.
"""
import json
import os
import sys

KILLED = 77
# Commands of connecting and of pymongo's own upkeep, not of djongo's work.
HANDSHAKES = frozenset({"hello", "isMaster", "ismaster", "ping", "endSessions", "buildInfo", "buildinfo"})
APP = "crash_project"


def crash(limit):
    from django.core.management import call_command
    from pymongo import monitoring

    class Killer(monitoring.CommandListener):
        """Count the commands pymongo starts (https://pymongo.readthedocs.io/en/stable/api/pymongo/monitoring.html)."""
        armed = False
        sent = 0

        def started(self, event):
            if not self.armed or event.command_name in HANDSHAKES:
                return
            self.sent += 1
            if self.sent == limit:
                os._exit(KILLED)

        def succeeded(self, event):
            pass

        def failed(self, event):
            pass

    killer = Killer()
    # Registered before djongo makes its client, which takes it.
    monitoring.register(killer)
    killer.armed = True
    call_command("migrate", APP, "0001", verbosity=0)
    killer.armed = False
    _write_rows()
    killer.armed = True
    call_command("migrate", verbosity=0)


def _write_rows():
    """Write two shelves and three books, as the models are after 0001."""
    state_apps = _state("0001_initial")
    Shelf, Book = state_apps.get_model(APP, "Shelf"), state_apps.get_model(APP, "Book")
    near, far = Shelf.objects.create(name="near"), Shelf.objects.create(name="far")
    for shelf, title in [(near, "a"), (near, "b"), (far, "a")]:
        Book.objects.create(shelf=shelf, title=title)


def finish():
    from django.core.management import call_command
    from django.db import IntegrityError, connection, transaction

    call_command("migrate", APP, "0001", verbosity=0)
    if not _state("0001_initial").get_model(APP, "Shelf").objects.exists():
        _write_rows()
    call_command("migrate", verbosity=0)
    from tests.reliability.crash_project.models import Book, Shelf

    books = sorted((book.shelf.name, book.title, book.pages) for book in Book.objects.select_related("shelf"))
    try:
        with transaction.atomic():
            Book.objects.create(shelf=Shelf.objects.get(name="near"), title="a")
        unique = False
    except IntegrityError:
        unique = True
    indexes = sorted(connection.mongo_database[Book._meta.db_table].index_information())
    recorder_indexes = sorted(connection.mongo_database["django_migrations"].index_information())
    from django.db.migrations.recorder import MigrationRecorder
    applied = sorted(name for app, name in MigrationRecorder(connection).applied_migrations() if app == APP)
    print(json.dumps({
        "books": books, "unique": unique, "indexes": indexes, "applied": applied, "recorder_indexes": recorder_indexes,
    }))


def _state(name):
    from django.db import connection
    from django.db.migrations.loader import MigrationLoader

    return MigrationLoader(connection).project_state((APP, name)).apps


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.reliability.crash_project.settings")
    import django

    django.setup()
    command, *arguments = sys.argv[1:]
    if command == "crash":
        crash(int(arguments[0]))
    elif command == "finish":
        finish()
    else:
        raise SystemExit(f"unknown command {command!r}")


if __name__ == "__main__":
    main()
