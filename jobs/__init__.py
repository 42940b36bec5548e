"""Background work: the job runtime (app context, tenant re-read), queue backends, mail delivery.

Every job takes primitive ids, re-reads its tenant, and is safe to run twice.

- runtime.py: how a job runs (app context, tenant bound, one commit); backends.py: RQ or inline
- worker.py: the forking RQ worker (fresh DB pool per work horse); cron.py: the scheduler process
- mail.py, transport.py, templates/mail/: render and send outbox emails
- relay.py: re-offer due outbox rows; schedule.py: periodic task registry and dispatcher
- housekeeping.py: the nightly per-bakery task; failures.py: failed RQ jobs for operators
"""
