"""``manage.py dbshell``: open mongosh on the configured database."""
import shutil
from urllib.parse import urlsplit, urlunsplit

from django.core.management.base import CommandError
from django.db.backends.base.client import BaseDatabaseClient

from djongo.options import client_options

MONGOSH_DOWNLOAD = "https://www.mongodb.com/try/download/shell"


def without_password(netloc):
    """
    Return a connection string's ``user:password@hosts`` without the
    password: a command line is visible to every user of the machine (ps),
    and mongosh asks for the password of a user named without one.
    """
    userinfo, at, hosts = netloc.rpartition("@")
    if not at:
        return netloc
    return f"{userinfo.partition(':')[0]}@{hosts}"


class DatabaseClient(BaseDatabaseClient):
    executable_name = "mongosh"

    @classmethod
    def settings_to_cmd_args_env(cls, settings_dict, parameters):
        options = client_options(settings_dict)
        host = str(options.get("host", "127.0.0.1"))
        args = [cls.executable_name]
        if "://" in host:
            # mongosh takes one connection string; the database is its path
            # (a database name beside it would be read as a script file).
            scheme, netloc, _path, query, _fragment = urlsplit(host)
            args.append(urlunsplit((scheme, without_password(netloc), "/" + settings_dict["NAME"], query, "")))
        else:
            args += ["--host", host, "--port", str(options.get("port", 27017)), settings_dict["NAME"]]
        if options.get("username"):
            args += ["--username", options["username"]]
        if options.get("authSource"):
            args += ["--authenticationDatabase", options["authSource"]]
        # mongosh prompts for the password when --username is given without it,
        # which keeps the password off the command line.
        args.extend(parameters)
        return args, None

    def runshell(self, parameters):
        if shutil.which(self.executable_name) is None:
            # Django's own sentence first, as its dbshell command words it.
            raise CommandError(
                f"You appear not to have the {self.executable_name!r} program installed or on your path. "
                f"dbshell runs MongoDB's shell, mongosh: install it from "
                f"{MONGOSH_DOWNLOAD} (or your system's packages), then run dbshell again."
            )
        super().runshell(parameters)
