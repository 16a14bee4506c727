"""``manage.py dbshell``: open mongosh on the configured database."""
from django.db.backends.base.client import BaseDatabaseClient


class DatabaseClient(BaseDatabaseClient):
    executable_name = "mongosh"

    @classmethod
    def settings_to_cmd_args_env(cls, settings_dict, parameters):
        from djongo.base import client_options

        options = client_options(settings_dict)
        host = options.get("host", "127.0.0.1")
        args = [cls.executable_name]
        if "://" in str(host):
            args.append(host)
        else:
            args += ["--host", str(host), "--port", str(options.get("port", 27017))]
        if options.get("username"):
            args += ["--username", options["username"]]
        if options.get("authSource"):
            args += ["--authenticationDatabase", options["authSource"]]
        # mongosh prompts for the password when --username is given without it,
        # which keeps the password off the command line.
        env = None
        args.append(settings_dict["NAME"])
        args.extend(parameters)
        return args, env
