"""What djongo reads off a pymongo client's view of its servers."""
from pymongo.server_type import SERVER_TYPE


def server_address(client):
    """Return "host:port" (comma-separated for several seeds) of ``client``'s servers."""
    addresses = client.topology_description.server_descriptions().keys()
    return ", ".join(f"{host}:{port}" for host, port in addresses) or "(no address)"


# Servers that run multi-document transactions: replica set primaries,
# mongos routers and load balancers in front of them. A standalone server
# never does. https://www.mongodb.com/docs/manual/core/transactions-production-consideration/
_TRANSACTION_SERVER_TYPES = (SERVER_TYPE.RSPrimary, SERVER_TYPE.Mongos, SERVER_TYPE.LoadBalancer)


def transactions_supported(servers):
    """
    Return whether the servers, pymongo ServerDescriptions of one
    deployment, run multi-document transactions: some server is of a kind
    that does and supports sessions, which transactions run in.
    """
    return any(
        server.server_type in _TRANSACTION_SERVER_TYPES
        and (server.server_type == SERVER_TYPE.LoadBalancer or server.logical_session_timeout_minutes is not None)
        for server in servers
    )
