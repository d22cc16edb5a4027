"""Where a webhook may be sent: public addresses only, unless the deployment allows an internal receiver.

A subscription URL is checked when it is registered or changed (every address its host resolves
to), and again at every delivery attempt: the host is resolved, every address checked, and the
connection is made to a checked address (``post``), with the URL's host name kept in the
``Host`` header and, for https, in the TLS server name and certificate check. A DNS answer that
changes between the check and the connection therefore cannot send a delivery inside.

Refused: loopback, private (RFC 1918, fc00::/7), link-local (169.254/16, fe80::/10), multicast,
unspecified, reserved, shared CGNAT (100.64/10) and every other non-global address, including
IPv4 addresses embedded in IPv6 ones (::ffff:a.b.c.d, 6to4, NAT64). Cloud metadata addresses are
refused even when an allowed network covers them.

NOTIFICATION_WEBHOOK_ALLOWED_HOSTS lets a deployment reach internal receivers: a comma-separated
list of host names (``payroll.internal``; ``*.corp.go.id`` for every name under it), whose
addresses are not checked (metadata addresses aside), and of addresses or networks
(``127.0.0.1``, ``10.20.0.0/16``, ``fd12:3456::/48``) that are allowed whatever name leads there.
"""

from __future__ import annotations

import http.client
import ipaddress
import logging
import re
import socket
import ssl
from dataclasses import dataclass
from urllib.parse import urlsplit

log = logging.getLogger(__name__)

SETTING = "NOTIFICATION_WEBHOOK_ALLOWED_HOSTS"

METADATA = frozenset(
    ipaddress.ip_address(a)
    for a in (
        "169.254.169.254",  # AWS, GCP, Azure, OpenStack, DigitalOcean ...
        "169.254.170.2",  # AWS ECS task metadata
        "fd00:ec2::254",  # AWS over IPv6
        "100.100.100.200",  # Alibaba Cloud
    )
)
SHARED = ipaddress.ip_network("100.64.0.0/10")
# Names of cloud metadata services: refused even before they resolve (they resolve only inside the cloud).
METADATA_NAMES = frozenset(
    (
        "metadata.google.internal",
        "metadata.goog",
        "metadata",
        "instance-data",
        "instance-data.ec2.internal",
        "metadata.azure.com",
        "metadata.tencentyun.com",
    )
)
NAT64 = ipaddress.ip_network("64:ff9b::/96")
_LABEL = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
HOST_NAME = re.compile(rf"(?:\*\.)?{_LABEL}(?:\.{_LABEL})*")

Address = ipaddress.IPv4Address | ipaddress.IPv6Address


class TargetRefused(Exception):
    """The URL's host is, or resolves to, an address deliveries must not go to; the message says which and why."""


@dataclass(frozen=True)
class AllowList:
    hosts: frozenset[str] = frozenset()  # exact names, lower case
    suffixes: tuple[str, ...] = ()  # ".corp.go.id" for "*.corp.go.id"
    networks: tuple = ()  # ipaddress networks

    @classmethod
    def parse(cls, raw: str | None) -> AllowList:
        """Read NOTIFICATION_WEBHOOK_ALLOWED_HOSTS; ValueError with a message on a bad entry."""
        hosts, suffixes, networks = set(), [], []
        for entry in (raw or "").split(","):
            entry = entry.strip().lower().rstrip(".")
            if not entry:
                continue
            try:
                networks.append(ipaddress.ip_network(entry.strip("[]"), strict=False))
                continue
            except ValueError:
                pass
            if not HOST_NAME.fullmatch(entry) or len(entry) > 253 or re.fullmatch(r"[0-9./:]+", entry):
                raise ValueError(
                    f"{entry!r} is neither a host name (payroll.internal, *.corp.go.id) "
                    "nor an address or network (10.20.0.0/16)"
                )
            if entry.startswith("*."):
                suffixes.append(entry[1:])
            else:
                hosts.add(entry)
        return cls(frozenset(hosts), tuple(suffixes), tuple(networks))

    def allows_host(self, host: str) -> bool:
        host = host.lower().rstrip(".")
        return host in self.hosts or any(host.endswith(suffix) for suffix in self.suffixes)

    def allows_address(self, address: Address) -> bool:
        return any(address.version == net.version and address in net for net in self.networks)


def _kind(address: Address) -> str | None:
    """Why deliveries must not go to ``address`` (a short name), or None for a public address."""
    if address.is_unspecified:
        return "unspecified"
    if address.is_loopback:
        return "loopback"
    if address.is_link_local:
        return "link-local"
    if address.is_multicast:
        return "multicast"
    if address.version == 4 and address in SHARED:
        return "shared (CGNAT)"
    if address.is_reserved:
        return "reserved"
    if address.is_private:
        return "private"
    if not address.is_global:
        return "non-public"
    return None


def _embedded(address: Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address carries (mapped, 6to4, NAT64), if any."""
    if address.version != 6:
        return None
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address in NAT64:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def refusal(address: Address, allow: AllowList, host_allowed: bool = False) -> str | None:
    """Why ``address`` is refused (``"a loopback address"``), or None when deliveries may go there."""
    inner = _embedded(address)
    if address in METADATA or (inner is not None and inner in METADATA):
        return "a cloud metadata address"
    if host_allowed or allow.allows_address(address) or (inner is not None and allow.allows_address(inner)):
        return None
    if inner is not None and _kind(inner):
        return f"a {_kind(inner)} address ({inner} inside IPv6)"
    kind = _kind(address)
    return f"a {kind} address" if kind else None


def _host_port(url: str) -> tuple[str, int]:
    parts = urlsplit(url)
    if not parts.hostname:
        raise TargetRefused("has no host")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise TargetRefused("has a port that is not a number from 1 to 65535") from None
    return parts.hostname, port


def resolve(host: str, port: int) -> list[Address]:
    """Every address ``host`` resolves to (socket.getaddrinfo), in the resolver's order, without repeats."""
    found: list[Address] = []
    for *_, sockaddr in socket.getaddrinfo(host, port, type=socket.SOCK_STREAM):
        address = ipaddress.ip_address(str(sockaddr[0]).split("%", 1)[0])
        if address not in found:
            found.append(address)
    return found


def checked_addresses(url: str, allow: AllowList) -> list[Address]:
    """Resolve the URL's host and check every address; TargetRefused naming the first bad one.

    socket.gaierror when the name does not resolve."""
    host, port = _host_port(url)
    host_allowed = allow.allows_host(host)
    addresses = resolve(host, port)
    if not addresses:
        raise socket.gaierror(socket.EAI_NONAME, "no address")
    for address in addresses:
        reason = refusal(address, allow, host_allowed)
        if reason:
            where = (
                f"{address} is"
                if _is_literal(host) and ipaddress.ip_address(host) == address
                else f"{host} resolves to {address},"
            )
            raise TargetRefused(
                f"{where} {reason}: webhooks go to public addresses only ({SETTING} allows internal receivers)"
            )
    return addresses


def check_registration(url: str, allow: AllowList) -> None:
    """The check made when a subscription is registered or its URL changed.

    A name that does not resolve (yet) is accepted: every delivery checks it again."""
    host, _port = _host_port(url)
    if host.lower().rstrip(".") in METADATA_NAMES:
        raise TargetRefused(f"{host} is the name of a cloud metadata service: webhooks go to public addresses only")
    if allow.allows_host(host) and not _is_literal(host):
        return  # an allowed name: nothing to check before it is used (metadata addresses are refused at delivery)
    try:
        checked_addresses(url, allow)
    except (socket.gaierror, UnicodeError):
        return


def _is_literal(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
        return True
    except ValueError:
        return False


# -- sending to a checked address ----------------------------------------------------------------


class _PinnedHTTP(http.client.HTTPConnection):
    def __init__(self, host: str, port: int, address: Address, timeout: float):
        super().__init__(host, port, timeout=timeout)
        self._address = str(address)

    def connect(self):
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedHTTPS(http.client.HTTPSConnection):
    def __init__(self, host: str, port: int, address: Address, timeout: float):
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self._address = str(address)

    def connect(self):
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)  # SNI and certificate: the URL's host


def failure_reason(exc: BaseException) -> str:
    """What an admin reads about a failed attempt: a class of failure, never an exception's name or the
    operating system's text (the full exception goes to the worker's log)."""
    if isinstance(exc, (socket.gaierror, UnicodeError)):
        return "the host name did not resolve"
    if isinstance(exc, ConnectionRefusedError):
        return "connection refused"
    if isinstance(exc, (TimeoutError, socket.timeout)):
        return "timed out"
    if isinstance(exc, ssl.SSLError) or isinstance(exc, ssl.CertificateError):
        return "TLS handshake or certificate check failed"
    if isinstance(exc, ConnectionResetError):
        return "connection reset by the receiver"
    if isinstance(exc, OSError):
        return "network error"
    return "the receiver's answer could not be read"


def post(url: str, body: bytes, headers: dict, timeout: float, allow: AllowList) -> tuple[int | None, str | None, bool]:
    """POST once to a checked address of the URL's host: (status code, error text or None, refused).

    ``refused`` is True when the host resolves to an address deliveries must not go to; nothing
    was sent then. Redirects are answers (3xx), never followed. Never raises."""
    try:
        addresses = checked_addresses(url, allow)
    except TargetRefused as exc:
        return None, f"refused: {exc}"[:1000], True
    except (OSError, UnicodeError, ValueError) as exc:
        log.warning("webhook target unusable", extra={"error": f"{type(exc).__name__}: {exc}"})
        return None, failure_reason(exc), False
    parts = urlsplit(url)
    host, port = _host_port(url)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    kind = _PinnedHTTPS if parts.scheme == "https" else _PinnedHTTP
    last_error = "no address"
    for address in addresses:
        connection = kind(host, port, address, timeout)
        try:
            connection.request("POST", target, body=body, headers=headers)
            response = connection.getresponse()
            response.read(1024)
            status = response.status
            return status, None if 200 <= status < 300 else f"HTTP {status}", False
        except ConnectionRefusedError as exc:  # the next address of the name, if any
            last_error = f"{failure_reason(exc)} ({address})"
        except Exception as exc:  # noqa: BLE001 - timeout, reset, TLS: a failure of this attempt
            log.warning(
                "webhook attempt failed", extra={"error": f"{type(exc).__name__}: {exc}", "address": str(address)}
            )
            return None, failure_reason(exc), False
        finally:
            connection.close()
    return None, last_error[:1000], False
