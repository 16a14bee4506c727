from setuptools import find_packages, setup

setup(
    name="djongo",
    version="2.0.0.dev0",
    description="Django database backend for MongoDB: the Django ORM, migrations and admin on MongoDB.",
    long_description=open("README.md", encoding="utf-8").read(),
    long_description_content_type="text/markdown",
    license="BSD-3-Clause",
    packages=find_packages(include=["djongo", "djongo.*"]),
    python_requires=">=3.11",
    install_requires=[
        # Django 5.2 LTS (Python 3.11+) and Django 6.0 and 6.1 (Python 3.12+):
        # pip picks the newest that the interpreter runs.
        "django>=5.2,<6.2",
        "pymongo>=4.6,<5",
        "sqlparse>=0.5",
        "dnspython>=2",
    ],
    extras_require={
        # pytest runs our tests and selenium drives the browser tests; the
        # rest are what Django's own test suite (scripts/conformance) needs
        # to run, rather than skip, its tests of ImageField, YAML fixtures,
        # password hashers and admindocs.
        "test": [
            "pytest>=8", "selenium>=4.11", "Pillow", "PyYAML", "argon2-cffi", "bcrypt", "docutils", "jinja2", "tblib",
            # The task workers test (tests/reliability/test_tasks.py): the
            # database backend of Django's Tasks framework, and on Django 5.2
            # the framework's backport (unused on Django 6, which has it).
            "django-tasks-db==0.13.0", "django-tasks==0.12.0",
            # make bench times a generated test suite on PostgreSQL too when
            # BENCH_POSTGRES_URI names a server (benchmarks/suite.py).
            "psycopg[binary]",
        ],
    },
    classifiers=[
        "Framework :: Django",
        "Framework :: Django :: 5.2",
        "Framework :: Django :: 6.0",
        "Framework :: Django :: 6.1",
        "License :: OSI Approved :: BSD License",
        "Programming Language :: Python :: 3.11",
        "Programming Language :: Python :: 3.12",
        "Programming Language :: Python :: 3.13",
        "Topic :: Database",
    ],
)
