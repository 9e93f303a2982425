"""Send e-mail over SMTP (standard library smtplib): plain, STARTTLS or implicit TLS, optional login."""

from __future__ import annotations

import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage

from radio.settings import Settings


@dataclass(frozen=True)
class SmtpConfig:
    host: str
    port: int = 25
    username: str = ""
    password: str = ""
    security: str = "starttls"  # "none" | "starttls" | "ssl"
    sender: str = "radio@localhost"
    timeout_s: float = 10.0

    def __post_init__(self) -> None:
        # A typo must not quietly mean "no TLS": the password would cross the network in clear.
        if self.security not in ("none", "starttls", "ssl"):
            raise ValueError(f"smtp_security must be none, starttls or ssl, not {self.security!r}")

    @property
    def enabled(self) -> bool:
        return bool(self.host)


@dataclass(frozen=True)
class Attachment:
    filename: str
    mime: str  # "type/subtype"
    data: bytes


def smtp_config(settings: Settings) -> SmtpConfig:
    s = settings
    return SmtpConfig(s.smtp_host, s.smtp_port, s.smtp_username, s.smtp_password, s.smtp_security, s.smtp_from)


class Mailer:
    """One connection per send: alerts are few, and a long-lived SMTP session would time out between them."""

    def __init__(self, config: SmtpConfig) -> None:
        self.config = config

    def send(self, to: str, subject: str, body: str, attachments: tuple[Attachment, ...] = ()) -> None:
        """Send one message; smtplib.SMTPException / OSError when the server refuses or cannot be reached."""
        c = self.config
        message = EmailMessage()
        message["From"] = c.sender
        message["To"] = to
        message["Subject"] = subject
        message.set_content(body)
        for attachment in attachments:
            maintype, subtype = attachment.mime.split("/", 1)
            message.add_attachment(attachment.data, maintype=maintype, subtype=subtype, filename=attachment.filename)
        context = ssl.create_default_context()
        smtp: smtplib.SMTP
        if c.security == "ssl":
            smtp = smtplib.SMTP_SSL(c.host, c.port, timeout=c.timeout_s, context=context)
        else:
            smtp = smtplib.SMTP(c.host, c.port, timeout=c.timeout_s)
        with smtp:
            if c.security == "starttls":
                smtp.starttls(context=context)
            if c.username:
                smtp.login(c.username, c.password)
            smtp.send_message(message)
