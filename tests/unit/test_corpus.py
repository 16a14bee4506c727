"""
The corpus of SQL the ORM wrote in the integration tests, each statement
with the commands it must become (fixtures/orm_plans.txt, tests/plan_text.py):
every statement is planned again and its commands compared as text, so a
change in translation fails here until the file is written again.

With DJONGO_UPDATE_CORPUS=1 in the environment, the test writes the file
again instead, with the commands the same statements become now; review the
diff before committing it.
"""
import difflib
import os
import unittest

import django.db.models  # noqa: F401 - before the backend's modules, as Django imports them
from django.conf import settings

from tests.plan_text import CORPUS, corpus_text, read_corpus, render_statement, write_corpus

if not settings.configured:
    settings.configure(USE_TZ=True)

# The mismatches shown in full; the others are only counted.
SHOWN = 3
HINT = (
    "If the change in translation is meant, write the commands again and review the diff:\n"
    "  DJONGO_UPDATE_CORPUS=1 python -m pytest tests/unit/test_corpus.py\n"
    "(scripts/capture-sql records the statements again from the integration tests.)"
)


class CorpusTests(unittest.TestCase):
    """Each statement of the corpus plans to the commands stored with it."""

    def test_every_statement_plans_to_its_commands(self):
        pairs = read_corpus()
        self.assertGreater(len(pairs), 500)
        if os.environ.get("DJONGO_UPDATE_CORPUS"):
            write_corpus([sql for sql, _ in pairs])
            return
        mismatches = []
        for sql, expected in pairs:
            try:
                actual = render_statement(sql)
            except Exception as exc:
                actual = f"-- fails: {type(exc).__name__}: {exc}"
            if actual != expected:
                mismatches.append((sql, expected, actual))
        if mismatches:
            self.fail(_report(mismatches, len(pairs)))

    def test_the_file_is_as_written(self):
        """The blocks are sorted, each once, with the header: as write_corpus writes them."""
        pairs = read_corpus()
        self.assertEqual([sql for sql, _ in pairs], sorted({sql for sql, _ in pairs}))
        self.assertEqual(CORPUS.read_text(), corpus_text(pairs))


def _report(mismatches, total):
    """Return the message listing the first SHOWN of ``mismatches`` as diffs, and the hint."""
    parts = [f"{len(mismatches)} of {total} statements in {CORPUS.name} plan to other commands:"]
    for sql, expected, actual in mismatches[:SHOWN]:
        diff = difflib.unified_diff(
            expected.splitlines(), actual.splitlines(), "stored", "planned now", lineterm="",
        )
        parts.append(f"\n{sql}\n" + "\n".join(diff))
    if len(mismatches) > SHOWN:
        parts.append(f"\n... and {len(mismatches) - SHOWN} more.")
    parts.append("\n" + HINT)
    return "\n".join(parts)
