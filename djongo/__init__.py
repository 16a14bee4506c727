"""djongo: the Django database backend for MongoDB."""
__version__ = "2.0.0.dev0"
