"""A fake network printer: what the back office prints lands here, for tests and the demo.

* raw TCP ("port 9100"): accept, read until the client closes, store the job, close. It runs in
  the sandbox process on its own port (``SANDBOX_PRINTER_PORT``, default 9100; 0 = any free
  port); ``FakePrinter.start()`` opens it, ``serve`` and the ``sandbox_printer`` fixture call it.
* IPP: ``POST /ipp/print`` on the sandbox's HTTP app takes a Print-Job (RFC 8010) and stores
  its document the same way (``printer_panel.py``, with the panel page and control API).
* Power: off closes the TCP listener (a connection is refused: the back office sees an
  unreachable printer) and makes the IPP endpoint answer "printer is stopped".

Jobs live in the sandbox storage (table ``print_jobs``), listed newest first on
``/panel/printer`` and by the control API ``/_sandbox/printer``.
"""

import logging
import socket
import threading

logger = logging.getLogger(__name__)

DEFAULT_PORT = 9100
READ_TIMEOUT_SECONDS = 30
MAX_JOB_BYTES = 20 * 1024 * 1024


def job_format(data: bytes) -> str:
    if data.lstrip()[:5] == b"%PDF-":
        return "pdf"
    if b"^XA" in data[:4096]:
        return "zpl"
    return "raw"


class PrintJobs:
    """The stored jobs, newest first."""

    COLUMNS = "id, received_at, via, format, size, job_name"

    def __init__(self, store, clock):
        self.store = store
        self.clock = clock

    def add(self, data: bytes, via: str, job_name: str = "") -> int:
        with self.store.write() as conn:
            cursor = conn.execute(
                "INSERT INTO print_jobs (received_at, via, format, size, job_name, data)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (self.clock.now(), via, job_format(data), len(data), job_name, data),
            )
            return cursor.lastrowid

    def list(self, limit: int = 200) -> list[dict]:
        rows = self.store.query(
            f"SELECT {self.COLUMNS}, CASE WHEN format = 'zpl' THEN data END FROM print_jobs"
            " ORDER BY id DESC LIMIT ?",
            (limit,),
        )
        return [self._describe(row) for row in rows]

    def get(self, job_id: int) -> tuple[dict, bytes] | None:
        row = self.store.one(f"SELECT {self.COLUMNS}, data FROM print_jobs WHERE id = ?", (job_id,))
        if row is None:
            return None
        return self._describe(row[:-1] + (None,)), bytes(row[-1])

    def clear(self) -> int:
        with self.store.write() as conn:
            return conn.execute("DELETE FROM print_jobs").rowcount

    @staticmethod
    def _describe(row) -> dict:
        job_id, received_at, via, fmt, size, job_name, zpl = row
        return {
            "id": job_id,
            "received_at": received_at,
            "via": via,
            "format": fmt,
            "size": size,
            "job_name": job_name,
            "text": bytes(zpl).decode("utf-8", "replace") if zpl is not None else None,
        }


class FakePrinter:
    """The raw TCP listener and the printer's power switch (shared with the IPP endpoint)."""

    def __init__(self, jobs: PrintJobs):
        self.jobs = jobs
        self.host = "127.0.0.1"
        self.port = None  # known once started
        self.powered = True
        self._listener = None
        self._lock = threading.Lock()

    @property
    def address(self) -> str:
        return f"{self.host}:{self.port}"

    def start(self, host: str = "127.0.0.1", port: int = DEFAULT_PORT) -> int:
        """Listen on ``host:port`` (0: a free port, kept across power off/on); returns the port."""
        self.host = host
        self.port = port
        self.powered = True
        self._listen()
        return self.port

    def _listen(self) -> None:
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind((self.host, self.port))
        listener.listen(16)
        self.port = listener.getsockname()[1]
        with self._lock:
            self._listener = listener
        threading.Thread(
            target=self._accept, args=(listener,), name="sandbox-printer", daemon=True
        ).start()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                conn, _peer = listener.accept()
            except OSError:
                return  # closed: powered off or stopped
            threading.Thread(target=self._receive, args=(conn,), daemon=True).start()

    def _receive(self, conn: socket.socket) -> None:
        chunks, size = [], 0
        conn.settimeout(READ_TIMEOUT_SECONDS)
        try:
            while size <= MAX_JOB_BYTES:
                chunk = conn.recv(65536)
                if not chunk:
                    break
                chunks.append(chunk)
                size += len(chunk)
        except OSError as exc:
            logger.warning("sandbox printer: connection dropped: %s", exc)
        if chunks:
            self.jobs.add(b"".join(chunks), "raw")
        conn.close()  # after storing: a client that waits for the close knows it is stored

    def power(self, on: bool) -> None:
        """Switch the printer on or off; off refuses connections until it is on again."""
        with self._lock:
            self.powered = on
            listening = self._listener is not None
        if not on:
            self._close()
        elif not listening and self.port is not None:
            self._listen()

    def stop(self) -> None:
        self._close()

    def _close(self) -> None:
        with self._lock:
            listener, self._listener = self._listener, None
        if listener is None:
            return
        try:  # wakes the thread blocked in accept() (close alone does not, on Linux)
            listener.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        listener.close()

    def received(self) -> list[bytes]:
        """The bytes of every stored job, newest first (for tests)."""
        return [self.jobs.get(job["id"])[1] for job in self.jobs.list()]

    def describe(self) -> dict:
        return {
            "power": "on" if self.powered else "off",
            "listening": self._listener is not None,
            "address": self.address if self.port is not None else None,
        }
