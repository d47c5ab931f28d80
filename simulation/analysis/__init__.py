"""The analysis layer: turning run tables into estimates with uncertainty."""
