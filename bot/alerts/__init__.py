"""Urgent alerts to the counselor channel: a transactional outbox and its delivery worker.

`outbox` writes an alert in the flag's own transaction; `delivery` sends due alerts through
`webhook` (signed by `signature`) and reschedules failures; `worker` runs delivery in a loop.
Delivery is at least once: receivers de-duplicate on the delivery id.
"""
