"""Staff alerts: what counts as a problem (`rules`, pure), finding them in the database (`evaluate`), telling
people (`delivery` over SMTP via `mailer`), and the weekly summary for monitors (`summary`)."""
