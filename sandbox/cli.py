"""``python -m sandbox <command>``: serve, accounts and seeding, and the control API."""

import argparse
import json
import os
import sys
import time
import urllib.error
import urllib.request


def _env(name, default):
    return os.environ.get(name) or default


def _default_url():
    return f"http://{_env('SANDBOX_HOST', '127.0.0.1')}:{_env('SANDBOX_PORT', '8001')}"


def _state(args):
    from .state import SandboxState

    return SandboxState(args.storage, rate_limits=False)


def _print(obj):
    print(json.dumps(obj, indent=2, ensure_ascii=False))


def _control(args, method, path, body=None):
    """Call the control API of a running sandbox."""
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(
        args.url.rstrip("/") + "/_sandbox" + path, data=data, method=method,
        headers={"Content-Type": "application/json"},
    )  # fmt: skip
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as exc:
        sys.exit(f"{exc.code}: {exc.read().decode(errors='replace')}")
    except urllib.error.URLError as exc:
        sys.exit(f"cannot reach the sandbox at {args.url} ({exc.reason}); is it running?")


def demo_banner(account: dict, base_url: str, created: bool) -> str:
    word = "created" if created else "existing"
    return "\n".join([
        f"Sendcloud sandbox on {base_url}  (demo account {word})",
        f"  public key:     {account['public_key']}",
        f"  secret key:     {account['secret_key']}",
        f"  integration id: {account['integration_id']}",
        f"  login (connect page): {account['email']} / {account['password']}",
        f"  API base URLs:  {base_url}/api/v2  {base_url}/api/v3",
        f"  incoming orders: {base_url}/panel/orders?account={account['id']}",
    ])  # fmt: skip


def cmd_serve(args):
    from .app import create_app
    from .server import make_server

    base = args.public_base_url or f"http://{args.host}:{args.port}"
    app = create_app(args.storage, rate_limits=not args.no_rate_limits, public_base_url=base)
    state = app.extensions["sandbox"]
    account, created = state.ensure_demo_account(parcels=args.demo_parcels)
    print(demo_banner(account, base, created), flush=True)
    state.outbox.start()
    app.extensions["progression"].start()
    if args.printer_port >= 0:
        try:
            state.printer.start(args.host, args.printer_port)
            print(f"  fake label printer (raw TCP, port 9100 protocol): {state.printer.address}"
                  f" · jobs: {base}/panel/printer", flush=True)  # fmt: skip
        except OSError as exc:
            print(f"  fake label printer not started on port {args.printer_port}: {exc}",
                  file=sys.stderr, flush=True)  # fmt: skip
    server = make_server(app, host=args.host, port=args.port)
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        app.extensions["progression"].stop()
        state.close()


def _registered(args, state):
    """The sign-up time asked for on the command line, or None for the default."""
    from .partners import CUTOFF
    from .timefmt import parse_plain

    if args.after_cutoff:
        return max(state.clock.now(), CUTOFF)
    if args.registered is None:
        return None
    stamp = parse_plain(args.registered)
    if stamp is None:
        sys.exit("--registered must be an ISO 8601 date or date-time")
    return stamp


def cmd_create_account(args):
    state = _state(args)
    started = time.perf_counter()
    account = state.create_account(
        email=args.email, password=args.password, parcels=args.parcels, returns=args.returns,
        invoices=args.invoices, seed=args.seed, registered=_registered(args, state),
    )  # fmt: skip
    account["seconds"] = round(time.perf_counter() - started, 2)
    _print(account)


def cmd_seed(args):
    from .seed import seed_account

    state = _state(args)
    account_id = args.account or (state.demo_account() or {}).get("id")
    if not account_id:
        sys.exit("no account given and no demo account yet")
    started = time.perf_counter()
    counts = seed_account(state, account_id, args.parcels, args.returns, args.invoices, args.seed)
    counts["seconds"] = round(time.perf_counter() - started, 2)
    counts["account"] = account_id
    _print(counts)


def cmd_demo_account(args):
    account = _state(args).demo_account()
    if account is None:
        sys.exit("no demo account yet: run `python -m sandbox serve` once")
    _print(account)


def cmd_faults(args):
    if args.action == "clear":
        _print(_control(args, "DELETE", "/faults"))
    elif args.action == "add":
        rule = {"kind": args.kind, "rate": args.rate, "count": args.count, "delay": args.delay,
                "status": args.status, "path": args.path, "seed": args.seed,
                "methods": args.methods.split(",") if args.methods else None}  # fmt: skip
        _print(_control(args, "POST", "/faults", {k: v for k, v in rule.items() if v is not None}))
    else:
        _print(_control(args, "GET", "/faults"))


def cmd_rate_limits(args):
    if args.switch == "status":
        _print(_control(args, "GET", "/rate-limits"))
    else:
        _print(_control(args, "POST", "/rate-limits", {"enabled": args.switch == "on"}))


def cmd_printer(args):
    if args.action in ("on", "off"):
        _print(_control(args, "POST", "/printer/power", {"on": args.action == "on"}))
    elif args.action == "clear":
        _print(_control(args, "DELETE", "/printer/jobs"))
    else:
        _print(_control(args, "GET", "/printer"))


def cmd_clock(args):
    body = {k: v for k, v in (("advance", args.advance), ("speed", args.speed)) if v is not None}
    _print(_control(args, "POST" if body else "GET", "/clock", body or None))


def cmd_webhooks(args):
    if args.run:
        _print(_control(args, "POST", "/webhooks/run", {}))
    else:
        query = f"?status={args.status}" if args.status else ""
        _print(_control(args, "GET", "/webhooks" + query))


def cmd_orders(args):
    if args.processing_seconds is not None:
        body = {"processing_seconds": args.processing_seconds}
        _print(_control(args, "POST", "/orders/settings", body))
        return
    account_id = args.account or _control(args, "GET", "/demo-account")["id"]
    _print(_control(args, "GET", f"/accounts/{account_id}/orders"))


def cmd_parcel_status(args):
    body = {"status": args.status}
    if args.keep_plan:
        body["keep_plan"] = True
    _print(_control(args, "POST", f"/parcels/{args.parcel}/status", body))


def cmd_progression(args):
    if args.run:
        _print(_control(args, "POST", "/progression/run", {}))
        return
    changes = {
        k: v
        for k, v in (
            ("announce_seconds", args.announce_seconds),
            ("cancel_seconds", args.cancel_seconds),
            ("time_scale", args.time_scale),
            ("exception_rate", args.exception_rate),
        )
        if v is not None
    }
    if args.switch:
        changes["enabled"] = args.switch == "on"
    _print(_control(args, "POST" if changes else "GET", "/progression", changes or None))


def cmd_partners(args):
    if args.set is None:
        _print(_control(args, "GET", "/partners"))
        return
    ids = [part.strip() for part in args.set.split(",") if part.strip()]
    _print(_control(args, "POST", "/partners", {"partner_ids": ids}))


def cmd_shipments(args):
    account_id = args.account or _control(args, "GET", "/demo-account")["id"]
    _print(_control(args, "GET", f"/accounts/{account_id}/shipments"))


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m sandbox", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    storage = argparse.ArgumentParser(add_help=False)
    # Local files live in VAR_DIR (default var/), as the back office's do.
    default_storage = os.path.join(_env("VAR_DIR", "var"), "sandbox.sqlite3")
    storage.add_argument("--storage", default=_env("SANDBOX_STORAGE", default_storage))
    remote = argparse.ArgumentParser(add_help=False)
    remote.add_argument("--url", default=_default_url(), help="base URL of a running sandbox")

    p = sub.add_parser("serve", parents=[storage], help="run the sandbox (waitress)")
    p.add_argument("--host", default=_env("SANDBOX_HOST", "127.0.0.1"))
    p.add_argument("--port", type=int, default=int(_env("SANDBOX_PORT", "8001")))
    p.add_argument("--public-base-url", default=os.environ.get("SANDBOX_PUBLIC_BASE_URL"))
    p.add_argument("--no-rate-limits", action="store_true")
    p.add_argument("--demo-parcels", type=int, default=2000)
    p.add_argument(
        "--printer-port",
        type=int,
        default=int(_env("SANDBOX_PRINTER_PORT", "9100")),
        help="port of the fake label printer (raw TCP); 0: any free port, -1: none",
    )
    p.set_defaults(func=cmd_serve)

    volume = argparse.ArgumentParser(add_help=False)
    volume.add_argument("--parcels", type=int, default=0)
    volume.add_argument("--returns", type=int, default=0)
    volume.add_argument("--invoices", type=int, default=0)
    volume.add_argument("--seed", type=int, default=1, help="seed number (same seed, same data)")
    p = sub.add_parser("create-account", parents=[storage, volume], help="new seeded account")
    p.add_argument("--email")
    p.add_argument("--password")
    when = p.add_mutually_exclusive_group()
    when.add_argument(
        "--registered", help="Sendcloud sign-up date, ISO 8601 (default 2025-03-03, v2 open)"
    )
    when.add_argument(
        "--after-cutoff", action="store_true",
        help="signed up on/after 2026-04-13: v2 POST /parcels needs a partner id",
    )  # fmt: skip
    p.set_defaults(func=cmd_create_account)
    p = sub.add_parser("seed", parents=[storage, volume], help="add volume to an account")
    p.add_argument("--account", type=int, help="account id (default: the demo account)")
    p.set_defaults(func=cmd_seed)
    p = sub.add_parser("demo-account", parents=[storage], help="print the demo account's keys")
    p.set_defaults(func=cmd_demo_account)

    p = sub.add_parser("faults", parents=[remote], help="list, add or clear injected faults")
    p.add_argument("action", nargs="?", choices=["list", "add", "clear"], default="list")
    p.add_argument("kind", nargs="?")
    p.add_argument("--rate", type=float)
    p.add_argument("--count", type=int)
    p.add_argument("--delay", type=float)
    p.add_argument("--status", type=int)
    p.add_argument("--path")
    p.add_argument("--methods")
    p.add_argument("--seed", type=int)
    p.set_defaults(func=cmd_faults)
    p = sub.add_parser("rate-limits", parents=[remote], help="switch rate limits on or off")
    p.add_argument("switch", choices=["on", "off", "status"])
    p.set_defaults(func=cmd_rate_limits)
    p = sub.add_parser("printer", parents=[remote], help="the fake label printer: jobs, power")
    p.add_argument("action", nargs="?", choices=["status", "clear", "on", "off"], default="status")
    p.set_defaults(func=cmd_printer)
    p = sub.add_parser("clock", parents=[remote], help="show, advance or speed up the clock")
    p.add_argument("--advance", type=float, help="seconds to jump forward")
    p.add_argument("--speed", type=float, help="sandbox seconds per real second")
    p.set_defaults(func=cmd_clock)
    p = sub.add_parser("webhooks", parents=[remote], help="list or run webhook deliveries")
    p.add_argument("--run", action="store_true", help="deliver what is due now")
    p.add_argument("--status", choices=["pending", "delivered", "failed"])
    p.set_defaults(func=cmd_webhooks)
    p = sub.add_parser("orders", parents=[remote], help="list pushed orders or set their delay")
    p.add_argument("--account", type=int, help="account id (default: the demo account)")
    p.add_argument(
        "--processing-seconds",
        type=float,
        help="how long a written order stays 'being processed' (0: never)",
    )
    p.set_defaults(func=cmd_orders)
    p = sub.add_parser(
        "parcel-status", parents=[remote], help="move a parcel to a status now (with webhook)"
    )
    p.add_argument("parcel", type=int, help="parcel id")
    p.add_argument("status", help="v2 status id (11) or v3 code (DELIVERED)")
    p.add_argument("--keep-plan", action="store_true", help="let its journey go on afterwards")
    p.set_defaults(func=cmd_parcel_status)
    p = sub.add_parser(
        "progression", parents=[remote], help="status progression of created parcels"
    )
    p.add_argument("switch", nargs="?", choices=["on", "off"])
    p.add_argument("--run", action="store_true", help="apply the steps that are due now")
    p.add_argument("--announce-seconds", type=float)
    p.add_argument("--cancel-seconds", type=float)
    p.add_argument("--time-scale", type=float, help="factor on every journey delay")
    p.add_argument("--exception-rate", type=float, help="0-1: share of parcels with a problem")
    p.set_defaults(func=cmd_progression)
    p = sub.add_parser("partners", parents=[remote], help="list or set known partner ids")
    p.add_argument("--set", help="comma list of UUIDs that Sendcloud-Partner-Id accepts")
    p.set_defaults(func=cmd_partners)
    p = sub.add_parser("shipments", parents=[remote], help="list shipments created via the API")
    p.add_argument("--account", type=int, help="account id (default: the demo account)")
    p.set_defaults(func=cmd_shipments)
    return parser


def main(argv=None):
    args = build_parser().parse_args(argv)
    args.func(args)
