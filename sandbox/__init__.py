"""A local simulator of the Sendcloud panel API (v2 and v3), run as its own process.

See ``sandbox.app.create_app`` for the WSGI app, ``python -m sandbox --help`` for the CLI and
``sandbox.testing`` for the pytest fixtures.
"""
