"""Background work: the job runtime (app context, tenant re-read), queue backends, mail delivery.

Every job takes primitive ids, re-reads its tenant, and is safe to run twice.
"""
