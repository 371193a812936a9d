"""慰问经费: per-head standards, the year's budget lines per unit, and spending against them."""
