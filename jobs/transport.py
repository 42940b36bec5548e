"""Mail transports: SMTP for real deployments, a maildir-like capture for the embedded default."""

from __future__ import annotations

import smtplib
from email.message import EmailMessage
from pathlib import Path


class SMTPTransport:
    """Sends through an SMTP server (STARTTLS and login when configured)."""

    def __init__(self, host: str, port: int, user: str = "", password: str = "", tls=False):
        self.host, self.port, self.user, self.password, self.tls = host, port, user, password, tls

    def send(self, message: EmailMessage) -> None:
        with smtplib.SMTP(self.host, self.port, timeout=20) as smtp:
            if self.tls:
                smtp.starttls()
            if self.user:
                smtp.login(self.user, self.password)
            smtp.send_message(message)


class CaptureTransport:
    """Writes each message as an .eml file; the demo's /dev/mail page lists them."""

    def __init__(self, directory: str | Path):
        self.directory = Path(directory)

    def send(self, message: EmailMessage) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        name = message["X-Outbox-Id"] or "message"
        (self.directory / f"{name}.eml").write_bytes(bytes(message))

    def messages(self) -> list[EmailMessage]:
        """Captured messages, newest first."""
        from email import policy
        from email.parser import BytesParser

        if not self.directory.exists():
            return []
        files = sorted(self.directory.glob("*.eml"), key=lambda p: p.stat().st_mtime, reverse=True)
        parser = BytesParser(policy=policy.default)
        return [parser.parsebytes(p.read_bytes()) for p in files]


def transport_for(settings, instance_path: str):
    """The transport the settings call for."""
    if settings.smtp_host:
        return SMTPTransport(
            settings.smtp_host,
            settings.smtp_port,
            settings.smtp_user,
            settings.smtp_password,
            settings.smtp_use_tls,
        )
    return CaptureTransport(Path(instance_path) / "mail")
