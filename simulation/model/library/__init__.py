"""Strategies with behaviour of their own, one small module each.

Every module in this folder is imported when the strategy registry loads, so a strategy defined and
registered here (`@register_strategy(...)` on a `Strategy` subclass) can be used by name everywhere:
`snf compare --strategies ...,my_strategy`, experiment files, sweeps on other cores. Adding a file
here does not touch the model core. See docs/tutorial.md.
"""
