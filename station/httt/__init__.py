"""The HTTT nguồn connector: the province's "hệ thống thông tin nguồn" exchange (issue 16, docs/httt-nguon.md).

`mapping` turns our records into the province's field names and back (configurable per province), `outbox` is the
durable queue in the database, `client` speaks HTTPS JSON with a bearer token, `inbound` files province bulletins
into commune inboxes, and `worker` runs it all on a clock (the scheduler process starts it, `radio httt` alone).
"""
