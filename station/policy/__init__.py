"""Area airtime rules: the pure checks (rules), an area's effective rules (areas), applied to nodes (placement)."""
