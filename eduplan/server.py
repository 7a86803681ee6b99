"""Serve the web app with waitress, announcing the URL only once requests are answered."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import sys
import threading
import time
import urllib.request
from collections.abc import Callable

from waitress.server import create_server


def serve(host: str, port: int, *, threads: int, workers: int = 1,
          on_ready: Callable[[str], None] | None = None) -> None:
    """Block serving the app; call ``on_ready(url)`` once the login page answers. With
    ``workers`` > 1, that many processes share the listening socket."""
    from django.conf import settings

    from eduplan.config.wsgi import application

    # Refuse oversized bodies before they are read: Django's own limits count form fields,
    # not files, and would let a request stream a gigabyte to disk before any check.
    body_limit = (settings.EDUPLAN_MAX_UPLOAD_BYTES * settings.DATA_UPLOAD_MAX_NUMBER_FILES
                  + settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
    options = {"threads": threads, "ident": "eduplan", "max_request_body_size": body_limit}
    if workers > 1:
        if hasattr(os, "fork"):
            _serve_forked(application, host, port, workers, options, on_ready)
            return
        print("此系统不能派生进程，只用一个服务进程 / no fork here: serving from one process", file=sys.stderr)
    server = create_server(application, host=host, port=port, **options)
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


def _serve_forked(application: Callable, host: str, port: int, workers: int, options: dict,
                  on_ready: Callable[[str], None] | None) -> None:
    """Processes that accept on one socket, each with its own threads: one Python process
    runs one thread at a time, so this is what lets pages use every core. A worker that dies
    is replaced; stopping the parent (Ctrl-C, SIGTERM) stops them all."""
    from django.db import connections

    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    listener = socket.create_server((host, port), family=family, backlog=1024)
    port = listener.getsockname()[1]
    _answer_to_own_names(host, port)
    url = f"http://{host if host not in ('0.0.0.0', '::') else '127.0.0.1'}:{port}/"
    connections.close_all()  # a connection must not be shared across a fork
    started = {_fork_worker(application, listener, options): time.monotonic() for _ in range(workers)}
    previous = signal.signal(signal.SIGTERM, _interrupt)
    try:
        _wait_until_answering(url + "accounts/login/")
        if on_ready:
            on_ready(url)
        early = 0  # workers in a row that died right after starting
        while True:
            pid, _ = os.wait()
            early = early + 1 if time.monotonic() - started.pop(pid, 0) < WORKER_MIN_LIFE else 0
            if early >= EARLY_DEATHS:
                raise SystemExit(f"服务进程接连 {early} 次启动后立即退出 / {early} workers in a row exited right after starting")
            print(f"服务进程 {pid} 已退出，另起一个 / worker {pid} exited, starting another", file=sys.stderr)
            time.sleep(early)  # back off while workers keep dying young
            started[_fork_worker(application, listener, options)] = time.monotonic()
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGTERM, previous)
        for pid in started:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGTERM)
        for pid in started:
            with contextlib.suppress(ChildProcessError):
                os.waitpid(pid, 0)
        listener.close()


WORKER_MIN_LIFE = 2.0  # seconds: a worker that dies sooner may only die again …
EARLY_DEATHS = 5  # … and after this many in a row the server stops


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def _fork_worker(application: Callable, listener: socket.socket, options: dict) -> int:
    parent = os.getpid()
    pid = os.fork()
    if pid:
        return pid
    status = 0
    try:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        _die_with_parent(parent)
        create_server(application, sockets=[listener], **options).run()
    except BaseException as exc:  # noqa: BLE001 - a worker reports and leaves, the parent decides
        print(f"服务进程出错 / worker failed: {exc!r}", file=sys.stderr)
        status = 1
    finally:
        os._exit(status)  # never run the parent's cleanup in a child


def _die_with_parent(parent: int) -> None:
    """A worker whose parent is killed outright (SIGKILL, out of memory) gets SIGTERM from the
    kernel instead of holding the port on its own (Linux; elsewhere the parent's cleanup only)."""
    if sys.platform.startswith("linux"):
        import ctypes

        pr_set_pdeathsig = 1
        ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGTERM)
    if os.getppid() != parent:  # the parent went before the request took effect
        os._exit(0)


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
