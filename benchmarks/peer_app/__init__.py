"""
The models of the peer benchmark (benchmarks/peer_ops.py), installed only in
the django-mongodb-backend virtualenv, never alongside djongo.
"""
