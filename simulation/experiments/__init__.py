"""The experiment layer: seeds, runs, executors and storage. It uses the model and nothing above it."""
