"""The interactive page: a solara app on top of everything else, watching one open-shelter run.

`page.py` holds the `page` that solara serves; `server.serve()` starts it on 127.0.0.1 (the
`snf app` command). The page builds a `PageModel` (`world.py`), a thin Mesa model that wraps one
`NetworkSupportModel`, refuses shelters too large to run interactively, and reads what the page
shows (status, history, the clients present). The drawings are SVG written by `network_view.py`
and `outcome_view.py` (with `svg.py`), in the colours of `palette.py`; the words, in English and
Dutch, are in `words.py`. The app is the top layer: it imports the model, scenarios and plot
labels; nothing below imports it. The browser files solara's page needs are installed locally by
`assets.py` (`scripts/install-page-assets`).

Nothing here is imported by `import simulation.app` itself, so the command line stays fast.
"""
