"""
A pytest plugin that records every SQL statement djongo's cursor runs.

``scripts/capture-sql`` loads it (``-p tests.sqlcapture``) into a run of the
integration tests, so the statements are what Django's ORM, migrations and
admin write on this backend. At the end it writes, once each and sorted,
those that plan (parse, optimize and translate) without error to the file
``$DJONGO_SQL_CORPUS``, each followed by the commands it plans to
(tests/plan_text.py); tests/unit/test_corpus.py plans them all again and
compares.
"""
import logging
import os
import pathlib

from djongo.sql2mongo.plans import get_plan, group_in_lists, parse
from tests.plan_text import write_corpus

# The longest statement the corpus keeps, in characters.
MAX_STATEMENT_LENGTH = 5000

_statements = set()


class _Recorder(logging.Handler):

    def emit(self, record):
        if record.msg.startswith("SQL: ") and record.args:
            sql, params = record.args
            # As the cursor plans it: IN lists of any length as one text.
            _statements.add(group_in_lists(sql, params.value)[0])


_handler = _Recorder(logging.DEBUG)


def pytest_configure(config):
    logger = logging.getLogger("djongo")
    logger.addHandler(_handler)
    logger.setLevel(logging.DEBUG)


def pytest_unconfigure(config):
    logging.getLogger("djongo").removeHandler(_handler)
    planned = []
    for sql in sorted(_statements):
        if "\n" in sql:
            continue  # one statement per line in the corpus
        if len(sql) > MAX_STATEMENT_LENGTH:
            continue  # a bulk INSERT of thousands of rows says no more than one of three
        try:
            if not parse(sql).needs.tables:
                get_plan(sql)
        except Exception:
            continue  # a statement a test sends to see it refused
        planned.append(sql)
    write_corpus(planned, pathlib.Path(os.environ["DJONGO_SQL_CORPUS"]))
