"""Everything that runs on the server's clock: planning, the scheduling engine, dispatch, as-run ingest."""
