"""Serving the app with waitress: foreground (``serve``) or in a background thread (tests)."""

import threading
import warnings

from waitress import create_server, wasyncore
from waitress.adjustments import Adjustments

SERVER_OPTIONS = {"threads": 8, "ident": "sandbox"}
# waitress flushes each write at once by default (send_bytes=1): the header block and the body
# leave in two send() calls. Buffering 18 kB makes a small response one write. waitress also
# sets TCP_NODELAY, so even two writes would not hit the 40 ms Nagle/delayed-ACK stall; the
# option is deprecated, hence only used while waitress still knows it.
if "send_bytes" in dict(Adjustments._params):
    SERVER_OPTIONS["send_bytes"] = 18000


def make_server(app, host="127.0.0.1", port=8001, **options):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        return create_server(app, host=host, port=port, **{**SERVER_OPTIONS, **options})


def start_server(app, host="127.0.0.1", port=0):
    """Serve ``app`` on a background thread; returns ``(base_url, stop)``."""
    server = make_server(app, host=host, port=port)
    stop_event = threading.Event()

    def run():
        while not stop_event.is_set():
            wasyncore.loop(timeout=0.05, map=server._map, count=1)

    thread = threading.Thread(target=run, name="sandbox-waitress", daemon=True)
    thread.start()
    base_url = f"http://{host}:{server.effective_port}"

    def stop():
        if stop_event.is_set():
            return
        stop_event.set()
        thread.join(timeout=5)
        server.task_dispatcher.shutdown(timeout=5)
        wasyncore.close_all(server._map)

    return base_url, stop
