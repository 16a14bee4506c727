"""DATABASES settings: NAME, CLIENT, top-level HOST/PORT/USER/..., OPTIONS, LOGGING, ENFORCE_SCHEMA."""
import logging
import os
import pathlib
import socket
import subprocess
import sys
import tempfile
import time
import traceback
from unittest import mock
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured
from django.db import InterfaceError, OperationalError, connection
from django.test import SimpleTestCase, TestCase

from djongo.base import DatabaseWrapper, client_options
from djongo.database import without_secrets
from djongo.exceptions import MigrationError


def wrapper(alias="extra", **settings):
    settings_dict = {
        "ENGINE": "djongo", "NAME": connection.settings_dict["NAME"], "HOST": "", "PORT": "", "USER": "",
        "PASSWORD": "", "OPTIONS": {}, "TIME_ZONE": None, "CONN_MAX_AGE": 0, "CONN_HEALTH_CHECKS": False,
        "AUTOCOMMIT": True, "ATOMIC_REQUESTS": False, "TEST": {},
    }
    settings_dict.update(settings)
    return DatabaseWrapper(settings_dict, alias)


class ClientOptionsTests(SimpleTestCase):

    def test_top_level_settings_map_to_client_arguments(self):
        options = client_options({
            "HOST": "db.example.com", "PORT": "27017", "USER": "u", "PASSWORD": "p",
            "AUTH_SOURCE": "admin", "AUTH_MECHANISM": "SCRAM-SHA-256",
        })
        self.assertEqual(options, {
            "host": "db.example.com", "port": 27017, "username": "u", "password": "p",
            "authSource": "admin", "authMechanism": "SCRAM-SHA-256",
            "uuidRepresentation": "standard", "appname": "djongo", "serverSelectionTimeoutMS": 5000,
        })

    def test_client_and_options_override_top_level_settings(self):
        options = client_options({
            "HOST": "ignored", "PORT": 1,
            "CLIENT": {"host": "mongodb+srv://user:pw@cluster.example.net/", "port": 2},
            "OPTIONS": {"port": 3, "maxPoolSize": 5},
        })
        self.assertEqual(options["host"], "mongodb+srv://user:pw@cluster.example.net/")
        self.assertEqual(options["port"], 3)
        self.assertEqual(options["maxPoolSize"], 5)

    def test_empty_settings_are_left_to_pymongo(self):
        self.assertEqual(client_options({"HOST": "", "PORT": ""}), {
            "uuidRepresentation": "standard", "appname": "djongo", "serverSelectionTimeoutMS": 5000,
        })

    def test_a_server_selection_timeout_the_user_sets_is_kept(self):
        for settings in [
            {"CLIENT": {"serverSelectionTimeoutMS": 30000}},
            {"OPTIONS": {"serverselectiontimeoutms": 30000}},
            {"HOST": "mongodb://db.example.com/?replicaSet=rs&serverSelectionTimeoutMS=30000"},
            {"CLIENT": {"host": ["mongodb://a.example.com/?serverselectiontimeoutms=30000"]}},
        ]:
            with self.subTest(settings=settings):
                options = client_options(settings)
                self.assertNotIn("serverSelectionTimeoutMS", {
                    key for key, value in options.items() if value == 5000
                })

    def test_empty_name_is_improperly_configured_naming_alias(self):
        with self.assertRaisesMessage(ImproperlyConfigured, "DATABASES['reports']"):
            wrapper(alias="reports", NAME="").get_connection_params()


class ConnectionTests(TestCase):

    def test_client_host_uri_connects(self):
        extra = wrapper(CLIENT={"host": os.environ["DJONGO_TEST_URI"]})
        with extra.cursor() as cursor:
            cursor.execute('SELECT COUNT(*) AS "n" FROM "django_migrations"')
            self.assertGreater(cursor.fetchone()[0], 10)
        extra.close()

    def test_unreachable_server_raises_operational_error_naming_address(self):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        extra = wrapper(HOST="127.0.0.1", PORT=port, CLIENT={"serverSelectionTimeoutMS": 300})
        started = time.monotonic()
        with self.assertRaises(OperationalError) as raised:
            with extra.cursor() as cursor:
                cursor.execute('SELECT "x"."id" FROM "x"')
        self.assertIn(f"127.0.0.1:{port}", str(raised.exception))
        self.assertLess(time.monotonic() - started, 10)

    def test_every_command_fails_within_seconds_naming_the_address(self):
        # No timeout in the settings: djongo's default (5 s) applies, not
        # pymongo's 30 s. The commands run side by side, each in its process.
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        commands = [
            ["migrate"], ["showmigrations"], ["inspectdb"], ["dumpdata", "auth"], ["flush", "--noinput"],
            ["createsuperuser", "--noinput", "--username", "x", "--email", "x@example.com"], ["sqlflush"],
            ["shell", "-c", "from django.contrib.auth.models import User; User.objects.count()"],
        ]
        environment = {
            **os.environ, "DJANGO_SETTINGS_MODULE": "tests.integration.unreachable_settings",
            "DJONGO_DEAD_URI": f"mongodb://127.0.0.1:{port}", "PYTHONPATH": str(pathlib.Path(__file__).parents[2]),
        }
        started = time.monotonic()
        processes = [
            (command, subprocess.Popen(
                [sys.executable, "-m", "django", *command], env=environment,
                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            ))
            for command in commands
        ]
        for command, process in processes:
            with self.subTest(command=command[0]):
                _, stderr = process.communicate(timeout=60)
                self.assertNotEqual(process.returncode, 0)
                last_line = stderr.strip().splitlines()[-1]
                # An OperationalError (dumpdata reports it in a CommandError).
                self.assertRegex(last_line, r"^(django\.db\.utils\.OperationalError|CommandError): ")
                self.assertIn(f"cannot reach MongoDB at 127.0.0.1:{port}", last_line)
        # pymongo's own default would take 30 s; all of them together take
        # about djongo's 5 s and the start of Python.
        self.assertLess(time.monotonic() - started, 25)

    def test_unreachable_server_at_the_transaction_probe_is_an_operational_error(self):
        # atomic() asks whether the server runs transactions before any query.
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        extra = wrapper(alias="probe", HOST="127.0.0.1", PORT=port, CLIENT={"serverSelectionTimeoutMS": 300})
        with self.assertRaises(OperationalError) as raised:
            # What atomic() does on entry.
            extra.set_autocommit(False, force_begin_transaction_with_broken_autocommit=True)
        self.assertIn(f"127.0.0.1:{port}", str(raised.exception))
        with self.assertRaises(OperationalError):
            extra.get_database_version()

    def test_logging_at_debug_shows_sql_and_mongodb_command(self):
        extra = wrapper(HOST=os.environ["DJONGO_TEST_URI"], LOGGING={
            "handlers": {"null": {"class": "logging.NullHandler"}},
            "loggers": {"djongo": {"level": "DEBUG", "handlers": ["null"], "propagate": False}},
        })
        self.assertEqual(logging.getLogger("djongo").level, logging.DEBUG)
        with self.assertLogs("djongo", "DEBUG") as logs:
            with extra.cursor() as cursor:
                cursor.execute('SELECT "django_migrations"."app" FROM "django_migrations" WHERE "django_migrations"."app" = %s', ["auth"])
        text = "\n".join(logs.output)
        self.assertIn('SELECT "django_migrations"."app"', text)
        self.assertIn("db['django_migrations'].find({'app': 'auth'}", text)
        extra.close()
        logging.getLogger("djongo").setLevel(logging.NOTSET)

    def test_enforce_schema_raises_on_missing_field(self):
        collection = connection.mongo_database["app_author"]
        collection.insert_one({"id": 4242, "name": "no email"})
        strict = wrapper(HOST=os.environ["DJONGO_TEST_URI"], ENFORCE_SCHEMA=True)
        with self.assertRaises(MigrationError) as raised:
            with strict.cursor() as cursor:
                cursor.execute('SELECT "app_author"."id", "app_author"."email" FROM "app_author" WHERE "app_author"."id" = %s', [4242])
                cursor.fetchall()
        self.assertIn("'app_author'", str(raised.exception))
        self.assertIn("'email'", str(raised.exception))
        lax = wrapper(HOST=os.environ["DJONGO_TEST_URI"], ENFORCE_SCHEMA=False)
        with lax.cursor() as cursor:
            cursor.execute('SELECT "app_author"."id", "app_author"."email" FROM "app_author" WHERE "app_author"."id" = %s', [4242])
            self.assertEqual(cursor.fetchall(), [(4242, None)])
        strict.close()
        lax.close()


class SystemCheckTests(TestCase):

    def test_a_server_without_transactions_is_warned_about(self):
        from io import StringIO

        from django.core.management import call_command

        out = StringIO()
        call_command("check", "--database", "default", stdout=out, stderr=out)
        if connection.features.supports_transactions:
            self.assertNotIn("djongo.W001", out.getvalue())
        else:
            self.assertIn("djongo.W001", out.getvalue())
            self.assertIn("cannot roll back", out.getvalue())
            self.assertIn('SILENCED_SYSTEM_CHECKS = ["djongo.W001"]', out.getvalue())


    def test_a_database_time_zone_is_warned_about(self):
        from djongo.validation import DatabaseValidation

        self.assertEqual([issue.id for issue in DatabaseValidation(connection).check() if issue.id == "djongo.W002"], [])
        with mock.patch.dict(connection.settings_dict, TIME_ZONE="Asia/Bangkok"):
            issues = [issue for issue in DatabaseValidation(connection).check() if issue.id == "djongo.W002"]
        self.assertEqual(len(issues), 1)
        self.assertIn("TIME_ZONE 'Asia/Bangkok' of DATABASES['default'] is not used", issues[0].msg)


class DbshellCommandTests(SimpleTestCase):
    """manage.py dbshell, run as a user runs it, with a stand-in mongosh that reports its arguments."""

    def run_dbshell(self, path):
        environment = {
            **os.environ, "DJANGO_SETTINGS_MODULE": "tests.integration.settings", "PATH": path,
            "PYTHONPATH": str(pathlib.Path(__file__).parents[2]),
        }
        return subprocess.run([sys.executable, "-m", "django", "dbshell"], env=environment,
                              capture_output=True, text=True, timeout=60)

    def test_mongosh_gets_one_connection_string_naming_the_database(self):
        with tempfile.TemporaryDirectory() as directory:
            fake = pathlib.Path(directory) / "mongosh"
            fake.write_text("#!/bin/sh\nfor argument in \"$@\"; do echo \"ARG $argument\"; done\n")
            fake.chmod(0o755)
            result = self.run_dbshell(f"{directory}:{os.environ['PATH']}")
        self.assertEqual(result.returncode, 0, result.stderr)
        arguments = [line[4:] for line in result.stdout.splitlines() if line.startswith("ARG ")]
        [uri] = arguments
        configured = urlsplit(os.environ["DJONGO_TEST_URI"])
        self.assertEqual(urlsplit(uri)[:2], configured[:2])
        self.assertEqual(urlsplit(uri).path, "/" + os.environ.get("DJONGO_IT_DB", "djongo_it"))
        self.assertEqual(urlsplit(uri).query, configured.query)

    def test_a_missing_mongosh_says_where_to_get_it(self):
        result = self.run_dbshell("/nonexistent")
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("https://www.mongodb.com/try/download/shell", result.stderr)



class SecretTests(SimpleTestCase):
    """
    No password of the settings appears in an exception that leaves djongo,
    its traceback (chained exceptions included) or djongo's log records
    (issue 22); each such error is a django.db error.
    """

    SECRET = "S3cr3t-pw"

    def fails_without_the_secret(self, error, **settings):
        records = []

        class Keep(logging.Handler):
            def emit(self, record):
                records.append(self.format(record))

        logger = logging.getLogger("djongo")
        handler, level = Keep(), logger.level
        logger.addHandler(handler)
        logger.setLevel(logging.DEBUG)
        try:
            database = wrapper(**settings)
            with self.assertRaises(error) as raised:
                with database.cursor() as cursor:
                    cursor.execute('SELECT "a"."b" FROM "a"')
            database.close()
        finally:
            logger.removeHandler(handler)
            logger.setLevel(level)
        text = "".join(traceback.format_exception(raised.exception))
        self.assertNotIn(self.SECRET, text)
        self.assertFalse([record for record in records if self.SECRET in record])
        return str(raised.exception)

    def test_a_refused_uri_is_an_interface_error(self):
        message = self.fails_without_the_secret(
            InterfaceError, HOST=f"mongodb://alice:{self.SECRET}@127.0.0.1:notaport/db",
        )
        self.assertIn("invalid MongoDB client settings", message)

    def test_a_refused_option_is_an_interface_error(self):
        message = self.fails_without_the_secret(
            InterfaceError, HOST="127.0.0.1", USER="alice", PASSWORD=self.SECRET, CLIENT={"authMechanism": "BOGUS"},
        )
        self.assertIn("authMechanism", message)

    def test_an_unreachable_server_names_no_password(self):
        for settings in [
            {"HOST": f"mongodb://alice:{self.SECRET}@127.0.0.1:1/db"},
            {"HOST": "127.0.0.1", "PORT": "1", "USER": "alice", "PASSWORD": self.SECRET},
        ]:
            with self.subTest(settings=settings):
                settings["CLIENT"] = {"serverSelectionTimeoutMS": 300}
                message = self.fails_without_the_secret(OperationalError, **settings)
                self.assertIn("cannot reach MongoDB at 127.0.0.1:1", message)
                self.assertIn("is a MongoDB server running there?", message)

    def test_a_password_in_a_message_is_hidden(self):
        options = {"host": ["mongodb://alice:p%40ss@h1/db", "h2"], "password": "other"}
        self.assertEqual(without_secrets("p%40ss p@ss other x", options), "*** *** *** x")
