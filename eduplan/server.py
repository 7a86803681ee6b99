"""Serve the web app with waitress, announcing the URL only once requests are answered."""

from __future__ import annotations

import os
import sys
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
    _answer_to_own_names(host, server.effective_port)
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


def _answer_to_own_names(host: str, port: int) -> None:
    """Unless EDUPLAN_ALLOWED_HOSTS / EDUPLAN_SITE_URL say otherwise, accept the Host names of the
    address bound (every name of the machine when bound to all) and build links from it: never '*'."""
    from django.conf import settings

    from eduplan.security.hosts import own_names, site_url_for

    if not os.environ.get("EDUPLAN_ALLOWED_HOSTS", "").strip():
        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS,
                                  *(name for name in own_names(host) if name not in settings.ALLOWED_HOSTS)]
    if not settings.EDUPLAN_SITE_URL:
        settings.EDUPLAN_SITE_URL = site_url_for(host, port) or ""
    print(f"允许的主机名 / allowed hosts: {', '.join(settings.ALLOWED_HOSTS)}"
          "（其他名称请用 EDUPLAN_ALLOWED_HOSTS 设置 / set others with EDUPLAN_ALLOWED_HOSTS）", file=sys.stderr)


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
