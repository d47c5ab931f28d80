"""The report for policymakers: one self-contained HTML file, in English or Dutch."""
