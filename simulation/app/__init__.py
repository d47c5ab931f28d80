"""The interactive page: a Mesa SolaraViz app on top of everything else.

`page.py` holds the `page` that solara serves; `server.serve()` starts it on 127.0.0.1 (the
`snf app` command). The page builds a `PageModel` (`world.py`), a thin Mesa model that wraps one
`NetworkSupportModel` and refuses populations too large to run interactively. The app is the top
layer: it imports the model, scenarios and plot labels; nothing below imports it. The browser
files solara's page needs are installed locally by `assets.py` (`scripts/install-page-assets`).

Nothing here is imported by `import simulation.app` itself, so the command line stays fast.
"""
