"""
Models with Django 6.1's database-level on_delete options (DB_CASCADE,
DB_SET_NULL, DB_SET_DEFAULT), which djongo applies itself. Installed only
on Django 6.1 and later (tests/integration/settings.py).
"""
