"""Routers test_django_checks installs: AccessToken in "beta", the rest in "alpha"."""


class AlphaRouter:
    def db_for_write(self, model, **hints):
        return "alpha"


class CrossDatabaseRouter:
    def db_for_write(self, model, **hints):
        if model._meta.model_name == "accesstoken":
            return "beta"
        return None
