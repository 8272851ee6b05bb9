"""API calls that could not be stored wait in files and are stored on the next chance.

The log of what was sent to Sendcloud must not lose a call because the database was locked
longer than its timeout (SQLite's single writer during a long sync or a migration, a PostgreSQL
failover). Retrying in place would keep the caller, often a user's click, waiting even longer
after it already waited the database timeout; so the call goes to a file in
SENDCLOUD_API_CALL_SPOOL_DIR (one file per call, written whole and renamed, so a crash never
leaves half a record) and the next call that is stored, or the nightly purge, stores the spooled
ones with their original times. A file is claimed by renaming it, so two processes never store
the same call twice; a claim left by a process that died is taken over after CLAIM_STALE.
"""

import json
import logging
import os
import time
import uuid
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError, transaction

from sendcloud.models import ApiCall

logger = logging.getLogger(__name__)

SUFFIX = ".json"
CLAIMED = ".claimed"
CLAIM_STALE_SECONDS = 600
REPLAY_BATCH = 500


def spool_dir() -> Path:
    return Path(settings.SENDCLOUD_API_CALL_SPOOL_DIR)


def api_call_spool(values: dict, created_at: datetime) -> None:
    """Keep one ApiCall's values in a file until the database takes them."""
    directory = spool_dir()
    directory.mkdir(parents=True, exist_ok=True)
    name = f"{time.time_ns():020d}-{uuid.uuid4().hex}"
    temporary = directory / f"{name}.tmp"
    temporary.write_text(
        json.dumps({**values, "created_at": created_at.isoformat()}, ensure_ascii=False),
        encoding="utf-8",
    )
    os.replace(temporary, directory / f"{name}{SUFFIX}")


def api_calls_unspool(limit: int = REPLAY_BATCH) -> int:
    """Store spooled API calls (oldest first); returns how many were stored."""
    directory = spool_dir()
    if not directory.is_dir():
        return 0
    stored = 0
    for path in sorted(_waiting(directory))[:limit]:
        claim = path.with_name(f"{path.name.split('.')[0]}{SUFFIX}{CLAIMED}-{os.getpid()}")
        try:
            os.replace(path, claim)
        except FileNotFoundError:
            continue  # another process took it
        os.utime(claim)  # a fresh claim: not stale for the next CLAIM_STALE_SECONDS
        try:
            record = json.loads(claim.read_text(encoding="utf-8"))
            created_at = datetime.fromisoformat(record.pop("created_at"))
            with transaction.atomic():
                call = ApiCall.objects.create(**record)
                # created_at is auto_now_add: set the time of the call, not of the replay.
                ApiCall.objects.filter(pk=call.pk).update(created_at=created_at)
        except DatabaseError:
            os.replace(claim, path)  # still locked: it waits for the next chance
            break
        except (ValueError, TypeError):
            logger.exception("spooled API call %s cannot be read; kept as .bad", path.name)
            os.replace(claim, claim.with_name(f"{path.name.split('.')[0]}.bad"))
            continue
        claim.unlink()
        stored += 1
    return stored


def _waiting(directory: Path):
    stale = time.time() - CLAIM_STALE_SECONDS
    for entry in os.scandir(directory):
        if entry.name.endswith(SUFFIX):
            yield Path(entry.path)
        elif CLAIMED in entry.name and entry.stat().st_mtime < stale:
            yield Path(entry.path)  # its process died between claim and store
