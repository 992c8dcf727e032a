"""`oversight manage db_worker`: django-tasks-db's worker, with a heartbeat and the reclaiming of
what dead workers left (`oversight.notifications.worker`). It replaces the library's command of
the same name (this app comes first in INSTALLED_APPS), with the same options."""

from __future__ import annotations

import os
import random
import time
from typing import Any

from django.conf import settings
from django.core.management.base import CommandError
from django.db import close_old_connections
from django.db.utils import OperationalError
from django.utils import timezone
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV, run_with_reloader
from django_tasks_db.management.commands import db_worker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction, is_locked_database_exception

from oversight.notifications.actions import requeue_stalled
from oversight.notifications.worker import beat, forget, reclaim


class Worker(db_worker.Worker):
    """The library's worker loop with a heartbeat: the library's `run` offers no hook between
    tasks, so the loop is written here, claiming and running each task with the library's own
    calls (SELECT … FOR UPDATE SKIP LOCKED on PostgreSQL, an exclusive transaction on SQLite)."""

    next_beat = 0.0

    def keep_alive(self) -> None:
        """Beat and reclaim at most every OVERSIGHT_WORKER_HEARTBEAT_SECONDS."""
        if time.monotonic() < self.next_beat:
            return
        now = timezone.now()
        beat(self.worker_id, now=now)
        requeued, failed, orphans = reclaim(now=now)
        if requeued or failed or orphans:
            db_worker.logger.warning(
                "Reclaimed from dead workers: %d messages queued again, %d failed, %d task rows",
                requeued,
                failed,
                orphans,
            )
        self.next_beat = time.monotonic() + settings.OVERSIGHT_WORKER_HEARTBEAT_SECONDS

    def run(self) -> None:
        db_worker.logger.info("Starting worker worker_id=%s", self.worker_id)
        if self.startup_delay and self.interval:
            time.sleep(random.random())
        self.keep_alive()
        requeue_stalled()  # a task lost between a commit and its enqueue
        try:
            self.loop()
        finally:
            close_old_connections()
            forget(self.worker_id)

    def loop(self) -> None:
        while self.running:
            close_old_connections()
            self.keep_alive()
            tasks = DBTaskResult.objects.ready().filter(backend_name=self.backend_name)
            if not self.process_all_queues:
                tasks = tasks.filter(queue_name__in=self.queue_names)
            if self.excluded_queue_names:
                tasks = tasks.exclude(queue_name__in=self.excluded_queue_names)
            try:
                with exclusive_transaction(tasks.db):
                    found = tasks.get_locked()
                    if found is not None:
                        found.claim(self.worker_id)
            except OperationalError as exc:
                if not is_locked_database_exception(exc):
                    raise
                found = None  # SQLite busy: try again after the interval
            else:
                if found is None and self.batch:
                    return
            if found is not None:
                self.run_task(found)
                if self.max_tasks is not None and self._run_tasks >= self.max_tasks:
                    return
            elif self.running:
                time.sleep(self.interval)


class Command(db_worker.Command):
    help = "Run a background worker (the outbox, large imports), with a heartbeat"

    def handle(self, *args: Any, **options: Any) -> None:
        """The library's `handle`, building this module's `Worker`."""
        self.configure_logging(options["verbosity"])
        queue_names = options["queue_name"].split(",")
        excluded = options["exclude_queues"].split(",") if options["exclude_queues"] else []
        if excluded and "*" not in queue_names:
            raise CommandError("--exclude-queues can only be used with --queue-name=*")
        worker = Worker(
            queue_names=queue_names,
            interval=options["interval"],
            batch=options["batch"],
            backend_name=options["backend_name"],
            startup_delay=options["startup_delay"],
            max_tasks=options["max_tasks"],
            worker_id=options["worker_id"],
            excluded_queue_names=excluded,
        )
        if options["reload"] and not options["batch"]:
            if os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
                worker.configure_signals()
            run_with_reloader(worker.run)
        else:
            worker.configure_signals()
            worker.run()
