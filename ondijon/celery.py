"""The Celery application; reads the CELERY_* names of ondijon.settings."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ondijon.settings")

app = Celery("ondijon")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Task log lines carry the task id and the id of the request that enqueued the task.
from ondijon import logs  # noqa: E402

logs.install()
