try:
    from django.tasks import task
except ImportError:  # Django 5.2 and the django-tasks backport
    from django_tasks import task

from tests.reliability.tasks_project.models import Run


@task(takes_context=True)
def record(context, number):
    """Record that the worker running this task ran ``number``."""
    Run.objects.create(number=number, worker=context.task_result.worker_ids[-1])
