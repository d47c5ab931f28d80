"""Figures: one shared style, a fixed colour per strategy, labels in English and Dutch."""
