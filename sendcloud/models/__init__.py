"""Integration state and mirrored Sendcloud objects (one module per area)."""
