"""
The third-party apps scripts/thirdparty runs, and how each runs its tests.

Each app is pinned to a release that supports Django 5.2 and ships its test
suite in its source distribution. ``run`` is the app's own way of running
its suite, relative to the unpacked sdist: ``("script", path, args...)``
runs a runtests.py or manage.py as ``python path args...``; ``("pytest",
args...)`` runs pytest with the configuration the sdist carries.

``requires`` lists what the suite needs beyond Django, pytest and the app.

``("module", name, args...)`` runs ``python -m name args...`` (``python -m
django test --settings=...`` for a suite that ships settings and no script).

``project`` names a directory of tests/thirdparty/projects/ whose files
are laid over the unpacked sdist before each run: the test project (a
manage.py, settings, the tasks the tests enqueue) of an app whose sdist
ships its tests but not the files they import. They are djongo's own,
written from what the tests expect. ``test_databases_on_disk`` gives the
SQLite run a test database on disk rather than in memory, for a suite
whose tests start processes that must reach the test database (task
workers); see tests/thirdparty/thirdparty_shim.py. ``postgresql_args``
are added to ``run`` for the PostgreSQL run of ``--postgres``, which only
times the suite. ``settings`` are set in the suite's settings on every
backend (an app's documented setting for databases without transactions);
``test_database`` are TEST settings of every database alias, on every
backend (``{"MIGRATE": False}`` makes the test databases from the models).
``venv`` gives an app whose requirements conflict with the others' a
virtualenv of its own; ``timeout`` raises ``--timeout`` for a long suite.
All apps share one virtualenv, which always gets every app's requirements,
so that a suite that adapts to what is installed (DRF's conftest adds
django-guardian when it can import it) sees the same packages however many
apps a run selects.
"""

APPS = {
    "djangorestframework": {
        "version": "3.16.0",
        "run": ("pytest", "tests"),
        "requires": ["pytest-django", "markdown", "pyyaml", "inflection", "pytz"],
        # The suite's test app has no migrations and foreign keys to
        # auth_user. migrate makes the tables of apps without migrations
        # first, and PostgreSQL refuses their foreign key constraints
        # while auth_user does not exist yet; SQLite checks none and
        # djongo writes none. Without migrations every table is made
        # before any constraint, as DRF's suite allows.
        "postgresql_args": ("--no-migrations",),
    },
    "django-filter": {
        "version": "25.1",
        "run": ("script", "runtests.py", "--noinput"),
        "requires": ["markdown", "django-crispy-forms", "pytz"],
    },
    "django-simple-history": {
        "version": "3.8.0",
        "run": ("script", "runtests.py"),
        "requires": [],
    },
    "django-reversion": {
        "version": "5.1.0",
        "run": ("script", "tests/manage.py", "test", "tests", "--noinput"),
        "requires": [],
    },
    "django-model-utils": {
        "version": "5.0.0",
        "run": ("pytest", "tests"),
        "requires": ["pytest-django", "time-machine"],
    },
    "django-guardian": {
        "version": "3.0.3",
        "run": ("pytest", "guardian"),
        "requires": ["pytest-django", "django-environ"],
    },
    # The database backend of Django's Tasks framework, for Django 6's
    # django.tasks and, on Django 5.2, the django-tasks backport (whose
    # 0.12 release no longer holds a database backend of its own). Its
    # sdist ships tests/tests.py only.
    "django-tasks-db": {
        "version": "0.13.0",
        "run": ("script", "manage.py", "test", "tests", "--noinput"),
        "requires": ["django-tasks==0.12.0"],
        "project": "django-tasks-db",
        "test_databases_on_disk": True,
    },
    # pyproject.toml's addopts ask for pytest-cov's coverage report.
    "django-axes": {
        "version": "8.3.1",
        "run": ("pytest", "-o", "addopts=", "tests"),
        "requires": ["pytest-django", "pytest-subtests", "django-ipware"],
    },
    # Its requirements/test.txt pins pytest below 9, which refuses the
    # mark its test_schedulers.py puts on a fixture; the shared virtualenv
    # has pytest 9.
    "django-celery-beat": {
        "version": "2.9.0",
        "run": ("pytest", "t/unit"),
        "requires": ["pytest>=6.2.5,<9.0", "pytest-django", "pytest-timeout", "ephem"],
        "venv": True,
    },
    # 6.1.0, the newest release, no longer ships its tests (its changelog
    # says so); 6.0.0 is the newest that does, and Django 5.2 runs it.
    "django-taggit": {
        "version": "6.0.0",
        "run": ("module", "django", "test", "--settings=tests.settings", "--noinput"),
        "requires": [],
    },
    # tests/conftest.py imports the test models before it calls
    # django.setup(); pytest-django sets Django up first when told the
    # settings (--ds), as the project's CI does through its environment.
    "django-treebeard": {
        "version": "7.0.3",
        "run": ("pytest", "--ds=tests.settings", "tests"),
        "requires": ["pytest-django"],
    },
    # As tox.ini runs it, with tests/ on sys.path (the script's directory).
    # Imports run in transactions unless IMPORT_EXPORT_USE_TRANSACTIONS is
    # False, and refuse to run on a database without them
    # (ImproperlyConfigured), as the setting's documentation says; the
    # suite's own settings set it only for PostgreSQL and MySQL.
    "django-import-export": {
        "version": "4.4.3",
        "run": ("script", "tests/manage.py", "test", "core", "--noinput"),
        "requires": ["tablib[all]", "chardet", "pytz", "django-extensions", "psycopg[binary]"],
        "settings": {"IMPORT_EXPORT_USE_TRANSACTIONS": False},
    },
    # Its sdist ships tests/test_*.py but not what they import (settings,
    # conftest.py fixtures, presets, the swappable test models, URLs):
    # djongo writes them (tests/thirdparty/projects/django-oauth-toolkit/).
    # pyproject.toml's addopts ask for pytest-xdist's parallel run.
    # oauthlib 4 adds "scope" to the device authorization response, which
    # 3.4.1's DeviceCodeResponse(**response) refuses (TypeError).
    "django-oauth-toolkit": {
        "version": "3.4.1",
        "run": ("pytest", "-o", "addopts=", "--ds=tests.settings", "tests"),
        "requires": ["pytest-django", "pytest-mock", "django-ninja", "oauthlib<4"],
        "project": "django-oauth-toolkit",
        # The test app has no migrations, so Django makes its tables (with
        # their foreign keys to auth_user) before auth's migrations run,
        # which PostgreSQL refuses; without migrations every table is made
        # before any constraint, as for DRF.
        "postgresql_args": ("--no-migrations",),
    },
    # Wagtail's runtests.py is not in its sdist; it runs "django-admin test"
    # with wagtail.test.settings, as this does. It needs
    # djangorestframework 3.18 or later and django-treebeard below 6, which
    # the pins above are not: it gets a virtualenv of its own. Its whole
    # suite (about 10,000 tests) takes hours on the local test server, so
    # this runs the core and the apps an editor meets first (pages,
    # revisions, workflows and locales in wagtail.tests, snippets, images,
    # documents, users, sites, locales, embeds); the admin, the API and
    # contrib are left for a run of their own.
    # Its test databases are made from the models, without migrations, on
    # both backends: wagtailcore's migration 0055 adds the nullable
    # translation_key and locale to the pages that exist and then makes
    # the pair unique, which SQL allows for NULLs. djongo makes that a
    # unique index with a partial filter that skips nulls, but the local
    # test server does not enforce partial filters: the index build fails
    # on the two pages' nulls there (docs/test-server.md). The tests load their data from
    # fixtures (test.json holds the root page, the locale and the site);
    # those that rely on what migrations create fail on both backends.
    "wagtail": {
        "version": "8.0.1",
        "run": ("module", "django", "test", "--settings=wagtail.test.settings", "--noinput",
                "wagtail.tests", "wagtail.snippets", "wagtail.images", "wagtail.documents", "wagtail.users",
                "wagtail.sites", "wagtail.locales", "wagtail.embeds"),
        "requires": ["Jinja2", "boto3", "freezegun", "azure-identity", "azure-mgmt-cdn", "azure-mgmt-frontdoor",
                     "azure-mgmt-subscription", "django-pattern-library", "responses", "polib", "factory-boy",
                     "tblib"],
        "venv": True,
        "test_database": {"MIGRATE": False},
        "timeout": 3600,
    },
}

# Packages every suite's run needs, whatever the app.
COMMON = ["pytest"]

# Who is responsible for a group of failures, by its cause: the first
# pattern (a regular expression searched in the cause) that matches wins;
# a cause no pattern matches is djongo's own. "server" is what the local
# test server (mongo-java-server) lacks and a real MongoDB has, see
# docs/test-server.md; "MongoDB" is what no standalone MongoDB server has,
# or what MongoDB's Python driver does; "app" is a test of the app's own
# that holds only on the databases it names.
OWNERS = [
    (r"[Tt]ransaction|[Ss]avepoint|[Ss]essions are not supported|rollback", "MongoDB",
     "a standalone server has no transactions: atomic() cannot roll back, and "
     "code that needs savepoints refuses to run"),
    (r"milliseconds", "MongoDB",
     "BSON dates hold milliseconds (docs/how-it-works.md): two saves within one "
     "millisecond get equal timestamps"),
    (r"pymongo", "MongoDB",
     "MongoDB's Python driver joins its monitor threads when the interpreter exits, "
     "and they wake every 0.5 s: a process that used it takes about 0.6 s to exit"),
    (r"\$regexMatch|\$stdDev|\$let\b|\$switch|\$type\b|\$trim|\$toDecimal|\$dateFromParts"
     r"|\$isoWeek|\$round|\$replaceAll|\$unionWith|update whose update is a pipeline"
     r"|java\.|Unknown error|Unrecognized expression|no such command",
     "server", "an operator or command the local test server lacks (docs/test-server.md)"),
    (r"\$mod returns a double", "server",
     "the local test server's $mod returns a double for int operands, which its aggregation $in "
     "then compares by type and misses; MongoDB returns an int and compares numbers by value "
     "(docs/test-server.md)"),
    (r"duplicate key null", "server",
     "the local test server does not enforce partial indexes, so the unique index of a "
     "nullable unique column (a OneToOneField with null=True) rejects a second null; "
     "MongoDB skips nulls there (docs/test-server.md)"),
    (r"EXPLAIN output of PostgreSQL", "app",
     "the test is written for the SQL databases it names and fails on any other"),
    (r"does not enforce collection validators", "server",
     "the local test server neither stores nor enforces collection validators, so djongo "
     "creates no CHECK constraint there (Django's models.W027); MongoDB enforces them "
     "(docs/test-server.md)"),
    (r"the server reuses", "server",
     "the local test server reuses the slots of deleted documents, so after a flush an "
     "unordered query returns new rows out of insertion order (docs/test-server.md)"),
]

# A failed assertion names no cause: these are the ones diagnosed by hand,
# as (app, regular expression matched against the test id, cause[, the
# exception names the diagnosis covers]). They apply only while the test
# still fails with one of those exceptions (AssertionError unless given);
# the owner of the cause is then found by OWNERS like any other.
# docs/thirdparty.md gives the reproduction of each.
DIAGNOSED = [
    # The tests expect an unordered queryset in insertion order. The local
    # server's collection scan reuses the slots of deleted documents, so
    # after a TestCase's flush new rows come back out of order (pymongo
    # alone: insert 4, delete all, insert 3, delete all, insert 3: find()
    # returns 2, 3, 1). MongoDB returns a collection scan in insertion order
    # there; neither SQL nor MongoDB promises it.
    ("djangorestframework", r"tests/test_relations_(pk|slug|hyperlink)\.py::|test_generics\.py::TestInstanceView"
     r"|test_routers\.py::TestUrlPath::test_list",
     "row order without ORDER BY: the server reuses deleted documents' slots"),
    ("django-guardian", r"TestDirectGroupPermissions::test_get_groups_with_perms$",
     "row order without ORDER BY: the server reuses deleted documents' slots"),
    # AccessAttempt has no ordering (its Meta does not inherit the abstract
    # base's); axes_list_attempts prints AccessAttempt.objects.all() and the
    # test expects the three rows setUp created in that order: 2, 3, 1 here.
    ("django-axes", r"ManagementCommandTestCase::test_axes_list_attempts$",
     "row order without ORDER BY: the server reuses deleted documents' slots"),
    # history_date of two saves within one millisecond compare equal, so
    # as_of(), prev_record, latest_of_each() and the like pick the wrong
    # version, none (DoesNotExist: a deletion cut to the millisecond of the
    # as_of time), or two (more rows than the test unpacks). Which of these
    # fail depends on how many saves a millisecond holds.
    ("django-simple-history", r"GetPrevRecordAndNextRecordTestCase\.|Historic\w*Test\.test_historic_to_historic$"
     r"|HistoryManagerTest\.test_(as_of|foreignkey_field)|AsOfTestCase\w*\.|LatestOfEachTestCase\.",
     "datetimes within one millisecond compare equal: BSON dates hold milliseconds",
     ("AssertionError", "DoesNotExist", "ValueError: too many values to unpack")),
    # The tests check that atomic() rolled back what it wrote.
    ("django-simple-history", r"BulkCreateWithHistoryTransactionTestCase\.",
     "atomic() did not roll back: no transactions on a standalone server"),
    ("django-reversion", r"RevisionMiddlewareTest\.testCreateRevisionError$",
     "atomic() did not roll back: no transactions on a standalone server"),
    # assertNumQueries counts BEGIN and COMMIT, which Django logs as queries;
    # without server transactions djongo sends, and so logs, neither
    # (djongo/base.py). The counts differ by two per atomic() block (the
    # worker claims each task in one): 1 != 3, 4 != 8, 13 != 23.
    ("django-tasks-db", r"PruneTaskResultsTestCase\.|WorkerTestCase\.test_(batch_processes_all_tasks|complex_exception"
     r"|doesnt_process_different_(backend|queue)|failing_task|no_tasks|process_all_queues|run_after"
     r"|run_enqueued_task)$",
     "BEGIN and COMMIT are not counted as queries: no transactions on a standalone server"),
    # A second connection sees the task enqueued inside atomic() before
    # the block ends.
    ("django-tasks-db", r"DatabaseBackendTestCase\.test_doesnt_wait_until_transaction_commit$",
     "atomic() did not isolate its writes: no transactions on a standalone server"),
    # TaskResult equality compares enqueued_at and run_after to the
    # microsecond; read back they hold milliseconds.
    ("django-tasks-db", r"DatabaseBackendTestCase\.test_get_result(_async)?$|WorkerTestCase\.test_run_after_priority$",
     "datetimes read back in milliseconds: BSON dates hold milliseconds"),
    # The tests give a worker 0.5 s (2 s, the rest of a 2 s task beside)
    # to exit after SIGTERM; pymongo's shutdown takes about 0.6 s of it
    # (python -c "import pymongo; pymongo.MongoClient(uri).admin.command('ping')"
    # takes as long to exit after its last line). At exit pymongo stops its
    # monitor and kill-cursors threads and joins them; each sleeps in steps
    # of 0.5 s counted from the client's creation, so the join lasts until
    # the current step ends. test_interrupt_signals signals the worker 1 s
    # after starting it and waits 2 s, while the 2 s task the worker claimed
    # right after connecting ends just after one of those steps began: the
    # join then took 0.47 to 0.49 s in every run measured, the interpreter's
    # own finalization 0.2 to 0.35 s (as on SQLite, where no join follows),
    # so a worker would have to claim its task within about 0.3 s of its
    # start; djongo's claimed it 0.43 to 0.77 s after (SQLite's 0.35 to
    # 0.82 s), on the first poll, and marked it SUCCESSFUL before exiting.
    ("django-tasks-db", r"WorkerProcessTestCase\.test_interrupt_(no_tasks|signals)$",
     "a worker exits about 0.6 s after SIGTERM: pymongo joins its monitor threads at exit",
     ("TimeoutExpired",)),
    # The test saves a priority outside the CheckConstraint's range and
    # expects IntegrityError. djongo writes CHECK constraints as collection
    # validators only where the server enforces them (djongo/validators.py).
    ("django-tasks-db", r"DatabaseBackendTestCase\.test_priority_range_check$",
     "no CHECK constraint: the server does not enforce collection validators"),
    # last_run_at is compared to the microsecond with the value the
    # scheduler holds; read back it holds milliseconds (397000 != 397079).
    ("django-celery-beat", r"test_ModelEntry::test_entry_and_model_last_run_at_(with_utc_no_use_tz|when_model_changed)$"
     r"|test_DatabaseScheduler::test_sync_(not_saves_last_run_at_while_schedule_changed|syncs_before_save)$",
     "datetimes read back in milliseconds: BSON dates hold milliseconds"),
    # The test counts the queries of tags.add(): 32 on SQLite, of which 18
    # are SAVEPOINT and RELEASE SAVEPOINT (the test lists them); without
    # server transactions djongo sends, and Django logs, neither: 14.
    ("django-taggit", r"\.test_add_queries$",
     "SAVEPOINT and RELEASE SAVEPOINT are not counted as queries: no transactions on a standalone server"),
    # filter(tags__name__in=["green"]) without ORDER BY expects apple, then
    # pear: pear, apple here after earlier tests' flushes; alone, the test
    # passes.
    ("django-taggit", r"TaggableManagerOfficialTestCase\.test_lookup_by_tag$",
     "row order without ORDER BY: the server reuses deleted documents' slots"),
    # The scheduler leaves out the crontab tasks whose hour, moved to the
    # server's time zone with (hour + offset + 24) % 24, is not within two
    # hours of now (schedulers.py, _get_crontab_exclude_query). The server's
    # $mod gives 4.0 for an hour of 4, and its $in misses 4.0 in [2, 3, 4]
    # (pymongo alone: {"$in": [{"$mod": [28, 24]}, [4]]} is false), so
    # every crontab task is left out, celery.backend_cleanup among them.
    ("django-celery-beat", r"test_DatabaseScheduler::test_(all_as_schedule|crontab_exclusion_logic_basic"
     r"|crontab_timezone_conversion\w*|starttime_trigger)$"
     r"|test_DatabaseSchedulerFromAppConf::test_periodic_task_model_(enabled|disabled)_schedule$",
     "the server's $mod returns a double that its $in does not match to an int"),
    # The tests check that a failed delete, move or admin form left the tree
    # as it was: treebeard runs each in atomic(), which cannot roll back.
    ("django-treebeard", r"TestDelete::test_delete_(protected_node_mp|rolls_back_if_gap_not_closed_ns)$"
     r"|TestTreeAdmin::test_changeform_view_rolls_back_on_form_error",
     "atomic() did not roll back: no transactions on a standalone server"),
    # The tests turn transactions on (use_transactions=True, or
    # IMPORT_EXPORT_USE_TRANSACTIONS=True in override_settings), which
    # import-export refuses on a database without them, as documented.
    ("django-import-export", r"ErrorHandlingTest\.test_(collect_failed_rows|row_result_raise)"
     r"|TestImportSkipConfirm\.test_import_transaction_enabled_|ModelResourceTransactionTest\.test_rollback_on_validation",
     "use_transactions=True is refused without transactions: no transactions on a standalone server",
     ("ImproperlyConfigured",)),
    # A dry run saves in a transaction it rolls back; without transactions
    # import-export saves nothing in a dry run (resources.py: "using_transactions
    # or not dry_run"), so the saves, bulk calls and save errors these tests
    # expect of a dry run (the admin's import preview is one) do not happen.
    ("django-import-export", r"\.test_bulk_(create|delete|update)_called_(for_)?dry_run$"
     r"|\.test_bulk_create_exception_gathered_on_dry_run$|SkipDiffTest\.test_skip_row_returns_false_when_skip_diff_is_true$"
     r"|\.test_scoped_queryset_dry_run_reports_error_not_new$|ImportErrorHandlingTests\.test_import_action_error_on_save$",
     "a dry run saves nothing without transactions: no transactions on a standalone server"),
    # Wagtail's tests compare first_published_at, cache_until and a
    # revision's created_at (its isoformat() posted back as the loaded
    # revision's time, which the edit view checks for a conflict: 400) with
    # the microseconds Python made; read back they hold milliseconds.
    ("wagtail", r"TestEmbeds\.test_get_embed_cache_until$|Test(Create|Edit)DraftStateSnippet\.test_(publish|save_draft_then_publish)"
     r"|TestEditRevisionSnippet\.test_(edit_snippet_with_revision_and_json_response|get_hydrate_create_view"
     r"|overwrite_revision_with_json_response)$|TestSnippetRevisions\.test_replace_publish$",
     "datetimes read back in milliseconds: BSON dates hold milliseconds"),
    # assertNumQueries counts the SAVEPOINT and RELEASE SAVEPOINT of the two
    # atomic() blocks of a publish (44 != 48, 37 != 41, 24 != 28).
    ("wagtail", r"TestPublishScheduledPagesCommand\.",
     "SAVEPOINT and RELEASE SAVEPOINT are not counted as queries: no transactions on a standalone server"),
    # On a database without transactions Django's TestCase calls
    # setUpTestData() before each test, before it loads the fixtures
    # (django/test/testcases.py, TestCase._fixture_setup): these
    # setUpTestData read the pages of test.json, or index their references
    # (rebuild_references_index), before test.json is loaded.
    ("wagtail", r"TestPageWorkflows\.|TestWagtailPageCacheTag\.|TestUsageCount\.|TestUsedBy\.|TestDescribeOnDelete\.",
     "setUpTestData runs before the fixtures load: Django's TestCase on a database without transactions",
     ("AssertionError", "DoesNotExist", "IndexError")),
    # get_translations() has no ORDER BY; alone, the test passes.
    ("wagtail", r"TestTranslatableMixin\.test_get_translations_inclusive_true$",
     "row order without ORDER BY: the server reuses deleted documents' slots"),
    # On a database without transactions Django's TestCase runs
    # setUpTestData() before each test, outside any atomic block, and does not
    # flush when it raises: a setUpTestData that failed on the server's
    # duplicate key null (a second token with a null one-to-one, which the
    # partial unique index skips on MongoDB) leaves the users it created, and
    # the next test's setUpTestData (or fixture) fails to create them again
    # (username "resource_server", "test_user"). Run after the partial indexes
    # are dropped (as a server that enforces them would skip the nulls), these
    # tests pass.
    ("django-oauth-toolkit", r"::(TestTokenIntrospection(Auth|Views)|TestClearExpired|TestClearRevoked)::"
     r"|test_models\.py::test_id_token_methods$",
     "rows a failed setUpTestData left: it failed on the server's duplicate key null, and nothing rolled it back",
     ("IntegrityError: duplicate key in a unique index",)),
    # The test patches oauth2_provider.cimd.time.monotonic, which is the time
    # module's own, with four values; pymongo's monitor threads read the
    # clock as they wait, and when one does within the test the fetcher's
    # last read raises StopIteration (so it fails in some runs only).
    ("django-oauth-toolkit", r"test_cimd\.py::test_fetcher_shares_one_deadline_across_ips$",
     "time.monotonic is patched process-wide and pymongo's monitor threads take the mock's values",
     ("StopIteration",)),
    # The test knows the EXPLAIN output of PostgreSQL, SQLite and MySQL,
    # and calls self.fail("Unknown database engine") on any other.
    ("django-tasks-db", r"DatabaseBackendTestCase\.test_index_scan_for_ready$",
     "the test reads the EXPLAIN output of PostgreSQL, SQLite and MySQL only"),
]
