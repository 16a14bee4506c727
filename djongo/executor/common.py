"""
What every runner of the executor shares: the Result it returns, the
dispatch of a command to its runner, and the binding of a statement's
parameters into a command's templates.
"""
from dataclasses import dataclass
from typing import Any, Iterator, Optional

from djongo.catalog import is_internal
from djongo.exceptions import ProgrammingError
from djongo.logs import log_command
from djongo.sql2mongo.binding import bind


@dataclass
class Result:
    rows: Optional[Iterator[tuple]] = None
    rowcount: int = -1
    lastrowid: Optional[Any] = None
    names: tuple = ()


# The runner of each command class. The package's __init__ fills it with
# the runners of its modules, which run commands nested in theirs (a
# subquery, the parts of a UNION) through run() below.
RUNNERS = {}

# The most keys one statement lists in an $in: a bound on its size, far
# below MongoDB's 16 MB command size for keys of any type. (The inner
# statement of a KeyedJoin and the deletes of ON DELETE read keys in
# batches of it.)
KEYS_PER_QUERY = 10_000


def run(command, params, connection):
    """Run ``command`` with ``params`` on ``connection``; return its Result."""
    runner = RUNNERS[type(command)]
    return runner(command, params, connection)


def bound(template, params, connection):
    """Bind ``params`` into ``template``, running the subqueries it holds first, each once."""
    ran = []  # (command, rows): a condition's expression form may hold one subquery thrice

    def rows_of(command):
        for done, rows in ran:
            if done is command or done == command:
                return rows
        rows = list(run(command, params, connection).rows or ())
        ran.append((command, rows))
        return rows

    # One walk per execution: bind copies containers and fills slots.
    return bind(template, params, rows_of)


def require_table(connection, table):
    """
    Raise ProgrammingError when the collection ``table`` does not exist, as
    SQL databases refuse to read a table that does not: MongoDB reads no
    documents from it, and an unmigrated database would answer every
    query with nothing (an admin login just fails).
    """
    if not is_internal(table) and not connection.catalog.exists(table):
        raise ProgrammingError(
            f"no such table: {table} (the database has no collection {table!r}: run migrate, "
            "or see docs/existing-databases.md)"
        )


def write_filter(command, params, connection):
    """Return the filter of an UPDATE or DELETE: its own, or the _ids its id pipeline finds."""
    if command.id_pipeline is None:
        return bound(command.filter, params, connection)
    pipeline = bound(command.id_pipeline, params, connection)
    log_command("aggregate", command.collection, pipeline)
    documents = connection.collection(command.collection).aggregate(pipeline, session=connection.session())
    return {"_id": {"$in": [document["_id"] for document in documents]}}
