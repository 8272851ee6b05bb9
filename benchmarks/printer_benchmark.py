"""The printer adapter's share of "Enter → the printer has the bytes": one label to the
sandbox's fake printer over raw TCP (ZPL) and over IPP (an A6 PDF), median and p95.

    .venv/bin/python benchmarks/printer_benchmark.py            # 200 jobs each
    .venv/bin/python benchmarks/printer_benchmark.py --jobs 1000

The sandbox runs in this process (printer on a free loopback port, the IPP endpoint on its
HTTP server); "sent" means the printer stored the job: the raw adapter returns once the printer
closed its side after the last byte, IPP once the answer came. Prints figures; asserts nothing
about time.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sandbox.app import create_app  # noqa: E402
from sandbox.server import start_server  # noqa: E402
from sendcloud.printers import send  # noqa: E402

# A Sendcloud-sized 4×6" ZPL label (~1.5 kB) and an A6 label PDF (~60 kB with its barcode).
ZPL = b"^XA^CI28^PW812^LL1218" + b"^FO40,40^A0N,30,30^FDMuster Handel GmbH^FS" * 30 + b"^XZ\n"
PDF = b"%PDF-1.4\n" + bytes(range(256)) * 240 + b"\n%%EOF\n"


def timed(jobs: int, action) -> list[float]:
    times = []
    for _ in range(jobs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return times


def report(name: str, data: bytes, times: list[float]) -> dict:
    ordered = sorted(times)
    p95 = ordered[max(0, int(len(ordered) * 0.95) - 1)]
    print(
        f"{name:<24} {len(data):>7,} bytes  {len(times):>5} jobs  "
        f"median {statistics.median(times) * 1000:7.2f} ms  p95 {p95 * 1000:7.2f} ms  "
        f"max {ordered[-1] * 1000:7.2f} ms"
    )
    return {"bytes": len(data), "jobs": len(times), "median_ms": statistics.median(times) * 1000,
            "p95_ms": p95 * 1000, "max_ms": ordered[-1] * 1000}  # fmt: skip


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=200)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        app = create_app(Path(folder) / "sandbox.sqlite3", rate_limits=False)
        state = app.extensions["sandbox"]
        state.printer.start("127.0.0.1", 0)
        base_url, stop = start_server(app)
        try:
            raw = timed(args.jobs, lambda: send(
                "raw_tcp", state.printer.address, ZPL, content_type="application/zpl"
            ))  # fmt: skip
            ipp = timed(args.jobs, lambda: send(
                "ipp", f"{base_url}/ipp/print", PDF, content_type="application/pdf",
                job_name="bench",
            ))  # fmt: skip
            stored = len(state.printer_jobs.list(limit=args.jobs * 2 + 1))
        finally:
            stop()
            state.close()
    print(f"printer adapter → sandbox printer (loopback), {stored} jobs stored")
    figures = {
        "raw_zpl": report("raw TCP 9100, ZPL", ZPL, raw),
        "ipp_pdf": report("IPP Print-Job, PDF", PDF, ipp),
        "stored": stored,
    }
    print(json.dumps({"benchmark": "printer", **figures}), file=sys.stderr)


if __name__ == "__main__":
    main()
