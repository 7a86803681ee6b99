"""The names a server answers to when EDUPLAN_ALLOWED_HOSTS does not list them: never '*'."""

from __future__ import annotations

import ipaddress
import socket

WILDCARDS = {"0.0.0.0", "::", ""}


def own_names(bind_host: str) -> list[str]:
    """The bound address itself; bound to every interface, the machine's names and addresses."""
    if bind_host not in WILDCARDS:
        return [_as_host(bind_host)]
    names: list[str] = []
    try:
        hostname = socket.gethostname()
        names += [hostname, socket.getfqdn(hostname)]
        names += socket.gethostbyname_ex(hostname)[2]
    except OSError:
        pass
    names += _outward_addresses()
    hosts: list[str] = []
    for name in filter(None, names):
        host = _as_host(name)
        if host not in hosts and not _is_loopback(name):
            hosts.append(host)
    return hosts


def site_url_for(bind_host: str, port: int) -> str | None:
    """``http://host:port`` for a server bound to one outward address; None when bound to every
    one, or to loopback (the usual place behind a reverse proxy, and no address for a link
    that people open on their own computers)."""
    if bind_host in WILDCARDS or _is_loopback(bind_host):
        return None
    return f"http://{_as_host(bind_host)}:{port}"


def _outward_addresses() -> list[str]:
    """The address this machine uses towards other networks: connecting a UDP socket sends
    nothing, it only picks the route. An intranet host without such a route has none."""
    found = []
    for family, target in ((socket.AF_INET, "10.255.255.255"), (socket.AF_INET6, "fd00::1")):
        try:
            with socket.socket(family, socket.SOCK_DGRAM) as probe:
                probe.connect((target, 9))
                found.append(probe.getsockname()[0])
        except OSError:
            continue
    return found


def _is_loopback(name: str) -> bool:
    try:
        return ipaddress.ip_address(name.strip("[]")).is_loopback
    except ValueError:
        return name == "localhost"


def _as_host(name: str) -> str:
    """An IPv6 address in brackets, as it appears in a Host header and in ALLOWED_HOSTS."""
    try:
        return f"[{name}]" if ipaddress.ip_address(name).version == 6 else name
    except ValueError:
        return name
