"""Calibration: empirical targets as data, ABC-SMC with pyabc, and the posterior as an input."""
