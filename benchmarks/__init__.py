"""Benchmarks of djongo against raw pymongo: run.py (per call) and scale.py (per data size)."""


def setup_django(uri, name):
    """Configure Django with one djongo database, ``name`` on the server at ``uri``, and the benchmark models."""
    import django
    from django.conf import settings

    settings.configure(
        DATABASES={"default": {"ENGINE": "djongo", "NAME": name, "HOST": uri}},
        INSTALLED_APPS=["benchmarks.bench"],
        DEFAULT_AUTO_FIELD="django.db.models.AutoField",
        USE_TZ=True,
    )
    django.setup()
