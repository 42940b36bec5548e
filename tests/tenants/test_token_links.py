"""The one constructor of emailed token links."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest

from tenants.outbox import token_link


def test_a_token_link_describes_the_token_the_send_job_issues():
    subject = uuid.uuid4()
    assert token_link(
        purpose="invite", subject_id=subject, ttl=timedelta(days=7), path="/x/{token}"
    ) == {
        "purpose": "invite",
        "subject_id": str(subject),
        "ttl_seconds": 7 * 24 * 3600,
        "path": "/x/{token}",
    }


def test_a_path_without_its_token_placeholder_is_refused():
    with pytest.raises(ValueError, match="placeholder"):
        token_link(purpose="invite", subject_id=uuid.uuid4(), ttl=timedelta(days=1), path="/x/")
