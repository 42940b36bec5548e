"""Queue backends: RQ on Redis in production, inline in the embedded default."""

from __future__ import annotations

import logging

from jobs.runtime import execute

log = logging.getLogger(__name__)


class InlineBackend:
    """Runs each job straight after the commit that queued it, in its own app context."""

    def enqueue(self, app, path, args, *, queue, job_id) -> bool:
        try:
            execute(app, path, *args)
        except Exception:
            # The outbox row (or whatever the job works on) is still there for the relay.
            log.exception("inline job %s failed", path)
        return True


# A job in one of these states will still run: queueing its id again would only run it twice.
_WAITING = {"queued", "started", "deferred", "scheduled"}


class RQBackend:
    """Puts jobs on RQ queues; an unreachable Redis is logged and reported, never raised.

    Explicit job ids make enqueueing idempotent: a job whose id is still waiting or running is
    not queued again (the periodic relay re-offers every due email each minute).
    """

    def __init__(self, redis_url: str):
        from redis import Redis

        self.redis = Redis.from_url(redis_url, socket_connect_timeout=2, socket_timeout=5)

    def queue(self, name: str):
        from rq import Queue

        return Queue(name, connection=self.redis)

    def enqueue(self, app, path, args, *, queue, job_id) -> bool:
        from redis.exceptions import RedisError

        try:
            if job_id and self._waiting(job_id):
                return True
            self.queue(queue).enqueue("jobs.runtime.run", path, *args, job_id=job_id)
        except RedisError:
            log.warning("could not queue %s (%s); the relay will pick it up", path, job_id)
            return False
        return True

    def _waiting(self, job_id: str) -> bool:
        from rq.exceptions import NoSuchJobError
        from rq.job import Job

        try:
            status = Job.fetch(job_id, connection=self.redis).get_status(refresh=False)
        except NoSuchJobError:
            return False
        return str(getattr(status, "value", status)) in _WAITING

    def ping(self) -> bool:
        self.redis.ping()
        return True
