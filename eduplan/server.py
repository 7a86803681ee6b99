"""Serve the web app with waitress, announcing the URL only once requests are answered."""

from __future__ import annotations

import threading
import time
import urllib.request
from collections.abc import Callable

from waitress.server import create_server


def serve(host: str, port: int, *, threads: int = 8, on_ready: Callable[[str], None] | None = None) -> None:
    """Block serving the app; call ``on_ready(url)`` once the login page answers."""
    from django.conf import settings

    from eduplan.config.wsgi import application

    # Refuse oversized bodies before they are read: Django's own limits count form fields,
    # not files, and would let a request stream a gigabyte to disk before any check.
    body_limit = (settings.EDUPLAN_MAX_UPLOAD_BYTES * settings.DATA_UPLOAD_MAX_NUMBER_FILES
                  + settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
    server = create_server(application, host=host, port=port, threads=threads, ident="eduplan",
                           max_request_body_size=body_limit)
    url = f"http://{host if host not in ('0.0.0.0', '::') else '127.0.0.1'}:{server.effective_port}/"
    worker = threading.Thread(target=server.run, daemon=True)
    worker.start()
    _wait_until_answering(url + "accounts/login/")
    if on_ready:
        on_ready(url)
    try:
        while worker.is_alive():
            worker.join(0.5)
    except KeyboardInterrupt:
        pass
    finally:
        server.close()


_NO_PROXY = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # loopback never goes via a proxy


def _wait_until_answering(url: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with _NO_PROXY.open(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            if time.monotonic() > deadline:
                raise
        time.sleep(0.1)
