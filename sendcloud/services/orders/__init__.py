"""Order push to Sendcloud's v3 Orders API, read in flow order.

`preflight` (what must be fixed first) → `mapping` (delivery order → Sendcloud order) → `push`
(batches of ≤ 100, isolating rejected orders) ← `outbox` (automatic pushes of changed delivery
orders) and `runs` (Bestellungen abgleichen: a backfill run for older orders).
"""
