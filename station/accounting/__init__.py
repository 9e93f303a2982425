"""Airtime accounting against plan targets: pure rules, periods, rollup queries, progress (docs/accounting.md)."""
