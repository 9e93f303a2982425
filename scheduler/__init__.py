"""The process that runs on the server's clock: APScheduler engine, dispatch, as-run ingest, leader lease, health."""
