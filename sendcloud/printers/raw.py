"""Raw TCP printing ("JetDirect", port 9100): open, send every byte, half-close, close.

The protocol has no answer: a printer that took the bytes prints them. After the half-close we
wait briefly for the printer to close its side too, so "sent" means it read everything; a printer
that keeps the connection open only costs that short wait, never an error.
"""

import socket

from .errors import PrinterUnreachable

RAW_DEFAULT_PORT = 9100
CLOSE_WAIT_SECONDS = 0.5


def raw_address(address: str) -> tuple[str, int]:
    """`host`, `host:port` or `[v6]:port` → (host, port); 9100 when no port is given.
    Raises ValueError for anything else."""
    text = address.strip()
    bad = ValueError(f"printer address {address!r} is not host[:port]")
    if not text or "/" in text or " " in text:
        raise bad
    if text.startswith("["):
        host, _sep, rest = text[1:].partition("]")
        if rest and not rest.startswith(":"):
            raise bad
        port = rest[1:]
    elif text.count(":") == 1:
        host, port = text.split(":")
    else:
        host, port = text, ""
    if not host:
        raise bad
    if not port:
        return host, RAW_DEFAULT_PORT
    if not port.isdigit() or not 0 < int(port) < 65536:
        raise ValueError(f"printer address {address!r} has no valid port")
    return host, int(port)


def raw_send(address: str, data: bytes, *, timeout: float = 5.0) -> None:
    try:
        host, port = raw_address(address)
    except ValueError as exc:
        raise PrinterUnreachable(str(exc)) from exc
    try:
        sock = socket.create_connection((host, port), timeout=timeout)
    except TimeoutError as exc:
        raise PrinterUnreachable(f"{host}:{port}: no answer within {timeout:g} s") from exc
    except OSError as exc:
        raise PrinterUnreachable(f"{host}:{port}: {exc.strerror or exc}") from exc
    try:
        try:
            sock.sendall(data)
            sock.shutdown(socket.SHUT_WR)
        except TimeoutError as exc:
            text = f"{host}:{port}: stopped reading within {timeout:g} s"
            raise PrinterUnreachable(text) from exc
        except OSError as exc:
            raise PrinterUnreachable(f"{host}:{port}: {exc.strerror or exc}") from exc
        sock.settimeout(min(timeout, CLOSE_WAIT_SECONDS))
        try:
            while sock.recv(4096):  # a printer may report status bytes; they are not read
                pass
        except OSError:
            pass  # the bytes are out; a printer that keeps its side open is no error
    finally:
        sock.close()
