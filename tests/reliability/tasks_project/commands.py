"""
What the task workers test runs in processes of the project's own:

    python -m tests.reliability.tasks_project.commands legacy
    python -m tests.reliability.tasks_project.commands enqueue N

``legacy``, on a database migrated to django_tasks_database 0007, writes
the rows of an older release that the later migrations move with updates
to computed values: a finished task whose return value is in ``result``
(0008 moves it to ``return_value`` with ``update(return_value=F("result"))``)
and a failed one whose exception is there (0008 moves it to
``exception_data``, 0013 into ``exception_class_path`` and ``traceback``
with ``Coalesce`` of JSON keys).
``enqueue N`` enqueues ``record(0)`` .. ``record(N - 1)``.
"""
import os
import sys
import uuid

# The ids of the rows ``legacy`` writes, by status.
LEGACY_IDS = {
    "SUCCEEDED": uuid.UUID("00000000-0000-4000-8000-000000000001"),
    "FAILED": uuid.UUID("00000000-0000-4000-8000-000000000002"),
}


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.reliability.tasks_project.settings")
    import django

    django.setup()
    command, *arguments = sys.argv[1:]
    if command == "legacy":
        from django.db import connection
        from django.db.migrations.loader import MigrationLoader

        # The model as migration 0007 leaves it, as a data migration sees it.
        state = MigrationLoader(connection).project_state(("django_tasks_database", "0007_add_separate_results_fields"))
        DBTaskResult = state.apps.get_model("django_tasks_database", "DBTaskResult")
        common = {"args_kwargs": {"args": [], "kwargs": {}}, "task_path": "tests.reliability.tasks_project.tasks.record",
                  "backend_name": "default"}
        DBTaskResult.objects.create(id=LEGACY_IDS["SUCCEEDED"], status="SUCCEEDED", result={"answer": 42}, **common)
        DBTaskResult.objects.create(
            id=LEGACY_IDS["FAILED"], status="FAILED",
            result={"exc_type": "builtins.ValueError", "exc_traceback": "Traceback: ValueError"}, **common,
        )
    elif command == "enqueue":
        from tests.reliability.tasks_project.tasks import record

        for number in range(int(arguments[0])):
            record.enqueue(number)
    else:
        raise SystemExit(f"unknown command {command!r}")


if __name__ == "__main__":
    main()
