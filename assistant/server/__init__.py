"""The web layer: JSON API, htmx pages and security, over the ``Assistant`` facade.

Use ``assistant.server.app.create_app(settings, assistant=None)``.
"""
