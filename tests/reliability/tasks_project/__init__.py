"""
A Django project for the task workers test (tests/reliability/test_tasks.py):
django-tasks-db's database backend, and one task that records each run in
a table whose unique index refuses a second run of the same task.
"""
