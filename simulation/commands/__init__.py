"""What the `snf` commands do, one module per job; `simulation.cli` parses the arguments."""
