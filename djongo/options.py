"""The MongoClient keyword arguments of a DATABASES entry."""


# Top-level settings and the MongoClient keyword arguments they map to
# (https://pymongo.readthedocs.io/en/stable/api/pymongo/mongo_client.html).
SETTING_TO_CLIENT_OPTION = {
    "HOST": "host",
    "PORT": "port",
    "USER": "username",
    "PASSWORD": "password",
    "AUTH_SOURCE": "authSource",
    "AUTH_MECHANISM": "authMechanism",
}


def client_options(settings_dict):
    """
    Return the MongoClient keyword arguments for a DATABASES entry.

    The top-level HOST, PORT, USER, PASSWORD, AUTH_SOURCE and AUTH_MECHANISM
    come first; CLIENT, then OPTIONS, override them key by key. HOST, or
    CLIENT's host, may be a mongodb:// or mongodb+srv:// URI.
    """
    options = {}
    for setting, option in SETTING_TO_CLIENT_OPTION.items():
        value = settings_dict.get(setting)
        if value not in (None, ""):
            options[option] = int(value) if option == "port" else value
    options.update(settings_dict.get("CLIENT") or {})
    options.update(settings_dict.get("OPTIONS") or {})
    # Store UUIDField values as BSON UUIDs (binary subtype 4).
    options.setdefault("uuidRepresentation", "standard")
    options.setdefault("appname", "djongo")
    if not _sets_option(options, "serverSelectionTimeoutMS"):
        # A wrong or stopped server fails a command in seconds, not after
        # pymongo's 30 s.
        options["serverSelectionTimeoutMS"] = DEFAULT_SERVER_SELECTION_TIMEOUT_MS
    return options


# How long a statement waits for a server it can use, unless the settings
# or the URI say otherwise: short enough for manage.py to report a wrong
# HOST at once. A replica set election can take longer (typically up to
# 12 s: https://www.mongodb.com/docs/manual/core/replica-set-elections/),
# so docs/settings.md tells sites that must ride out failovers to raise it.
DEFAULT_SERVER_SELECTION_TIMEOUT_MS = 5000


def _sets_option(options, name):
    """Do the keyword arguments, or the query string of a URI host, set ``name`` (case-insensitive)?"""
    name = name.lower()
    if any(key.lower() == name for key in options):
        return True
    hosts = options.get("host")
    for host in hosts if isinstance(hosts, (list, tuple)) else [hosts]:
        if isinstance(host, str) and "?" in host:
            query = host.split("?", 1)[1]
            if any(pair.split("=", 1)[0].lower() == name for pair in query.replace(";", "&").split("&")):
                return True
    return False
