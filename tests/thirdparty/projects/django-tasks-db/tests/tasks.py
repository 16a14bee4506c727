"""
The tasks django-tasks-db's suite enqueues (``tests.tasks``), written for
scripts/thirdparty from what each test expects of them.
"""
import time

try:
    from django.tasks import TaskContext, task
except ImportError:  # Django 5.2 and the django-tasks backport
    from django_tasks import task
    from django_tasks.base import TaskContext


@task()
def noop_task(*args, **kwargs):
    return None


@task()
async def noop_task_async(*args, **kwargs):
    return None


@task()
def calculate_meaning_of_life():
    return 42


@task()
def failing_task_value_error():
    raise ValueError("This task failed due to ValueError")


@task()
def complex_exception():
    raise ValueError(ValueError("This task failed"))


@task()
def complex_return_value():
    # A set has no JSON form: storing the return value fails with TypeError.
    return {"numbers": {1, 2}}


@task()
def exit_task():
    raise SystemExit(1)


@task()
def failing_task_system_exit():
    raise SystemExit


@task()
def failing_task_keyboard_interrupt():
    raise KeyboardInterrupt


@task(takes_context=True)
def get_task_id(context):
    return context.task_result.id


@task(takes_context=True)
def test_context(context, attempt):
    assert isinstance(context, TaskContext)
    assert context.attempt == attempt
    assert context.task_result.args == [attempt]


@task()
def sleep_for(seconds):
    time.sleep(seconds)


@task()
def hang():
    # Runs until the worker is interrupted or killed.
    time.sleep(3600)
