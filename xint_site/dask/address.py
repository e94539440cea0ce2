"""What ``--scheduler`` (or ``scheduler:`` in ``xint.yml``) names, and whether it is safe.

``local:N`` is a cluster of N worker processes on this machine, listening on the
loopback interface only. Anything else is a Dask scheduler's address. A Dask
scheduler runs whatever it is sent: over plain ``tcp://`` to another host, anyone who
can reach it can run code on its workers, and notebooks travel unencrypted, so such an
address gets a warning that points to ``tls://``.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

LOCAL = re.compile(r"local(?::(\d+))?")
PROTOCOLS = ("tcp", "tls", "ucx", "inproc", "ws", "wss")
DEFAULT_PORT = 8786


@dataclass(frozen=True)
class Scheduler:
    address: str = ""  # a scheduler's address; empty for a local cluster
    local_workers: int = 0  # local:N: start N worker processes here

    @property
    def local(self) -> bool:
        return self.local_workers > 0

    @property
    def host(self) -> str:
        return urlsplit(self.address).hostname or ""

    @property
    def port(self) -> int:
        return urlsplit(self.address).port or DEFAULT_PORT

    def __str__(self) -> str:
        return f"local:{self.local_workers}" if self.local else self.address


def parse_scheduler(text: str) -> Scheduler | str:
    """The scheduler ``text`` names, or why it names none (a sentence)."""
    text = text.strip()
    if match := LOCAL.fullmatch(text):
        workers = int(match.group(1) or 2)
        if not 1 <= workers <= 256:
            return f"'{text}': local:N needs 1 to 256 workers"
        return Scheduler(local_workers=workers)
    if "://" not in text:
        text = f"tcp://{text}"
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError:
        return f"'{text}' is not a scheduler address (tcp://HOST:8786, tls://HOST:8786, local:N)"
    host = parts.hostname or ""
    if parts.scheme not in PROTOCOLS or not host or host.isdigit() or parts.path not in ("", "/"):
        return f"'{text}' is not a scheduler address (tcp://HOST:8786, tls://HOST:8786, local:N)"
    return Scheduler(
        address=f"{parts.scheme}://{parts.netloc}" + ("" if port else f":{DEFAULT_PORT}")
    )


def security_warning(scheduler: Scheduler) -> str | None:
    """Why this address is unsafe, when it is: plain TCP to another machine."""
    if scheduler.local or not scheduler.address.startswith("tcp://") or _loopback(scheduler.host):
        return None
    return (
        f"{scheduler.address} is plain TCP: notebooks travel unencrypted and anyone who can "
        "reach the scheduler can run code on its workers; use tls:// with Dask's security "
        "settings for a shared cluster"
    )


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
