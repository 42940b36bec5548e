"""Queue backends: RQ on Redis in production, inline in the embedded default."""

from __future__ import annotations

import logging

log = logging.getLogger(__name__)


class InlineBackend:
    """Runs each job straight after the commit that queued it, in its own app context."""

    def enqueue(self, app, path, args, *, queue, job_id) -> bool:
        from jobs.runtime import execute

        try:
            execute(app, path, *args)
        except Exception:
            # The outbox row (or whatever the job works on) is still there for the relay.
            log.exception("inline job %s failed", path)
        return True


class RQBackend:
    """Puts jobs on RQ queues; an unreachable Redis is logged and reported, never raised."""

    def __init__(self, redis_url: str):
        from redis import Redis

        self.redis = Redis.from_url(redis_url, socket_connect_timeout=2, socket_timeout=5)

    def queue(self, name: str):
        from rq import Queue

        return Queue(name, connection=self.redis)

    def enqueue(self, app, path, args, *, queue, job_id) -> bool:
        from redis.exceptions import RedisError

        try:
            self.queue(queue).enqueue("jobs.runtime.run", path, *args, job_id=job_id)
        except RedisError:
            log.warning("could not queue %s (%s); the relay will pick it up", path, job_id)
            return False
        return True

    def ping(self) -> bool:
        self.redis.ping()
        return True
