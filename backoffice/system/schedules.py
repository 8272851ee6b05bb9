"""Schedules in words a person uses: "jede Minute", "alle 15 Minuten", "täglich um 03:30".

The beat database stores a job's name once, in whatever language it was created in, and its
timing as an interval or a crontab. The schedule list and the Abgleich pages show both through
here: names through a catalogue apps fill with their tasks' translated titles, timings as words.
"""

from __future__ import annotations

from datetime import time

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

MINUTE = 60
HOUR = 60 * MINUTE
DAY = 24 * HOUR
WEEK = 7 * DAY

# Celery task name → the job's title, translated when shown. Apps add theirs on import.
TASK_TITLES: dict[str, str] = {
    "system.worker_heartbeat": gettext_lazy("Worker heartbeat"),
    "system.broker_purge": gettext_lazy("Embedded broker: delete delivered messages"),
}


def task_titles_register(titles: dict[str, str]) -> None:
    """Give the tasks `titles` (lazy translations) a readable name in the schedule list."""
    TASK_TITLES.update(titles)


def task_title(task: str, stored_name: str) -> str:
    """The job's translated title, or the name stored with it if the task has none."""
    title = TASK_TITLES.get(task)
    return str(title) if title else stored_name


def time_of_day(at: time) -> str:
    """A time of day in the reader's language: "03:30" / "3:30 a.m."."""
    return formats.time_format(at, "TIME_FORMAT")


def every_text(seconds: int, at: time | None = None) -> str:
    """How often, in words: "jede Minute", "stündlich", "täglich um 03:00", "alle 2 Tage"."""
    if at is not None and seconds and seconds % DAY == 0:
        when = time_of_day(at)
        if seconds == DAY:
            return _("daily at %(time)s") % {"time": when}
        if seconds == WEEK:
            return _("weekly at %(time)s") % {"time": when}
        days = seconds // DAY
        return ngettext(
            "every %(count)s day at %(time)s", "every %(count)s days at %(time)s", days
        ) % {"count": days, "time": when}
    if seconds == WEEK:
        return _("weekly")
    if seconds == DAY:
        return _("daily")
    if seconds == HOUR:
        return _("hourly")
    if seconds == MINUTE:
        return _("every minute")
    for unit, singular, plural in (
        (DAY, "every %(count)s day", "every %(count)s days"),
        (HOUR, "every %(count)s hour", "every %(count)s hours"),
        (MINUTE, "every %(count)s minute", "every %(count)s minutes"),
    ):
        if seconds and seconds % unit == 0:
            count = seconds // unit
            return ngettext(singular, plural, count) % {"count": count}
    return ngettext("every %(count)s second", "every %(count)s seconds", seconds) % {
        "count": seconds
    }


INTERVAL_SECONDS = {"days": DAY, "hours": HOUR, "minutes": MINUTE, "seconds": 1}


def interval_text(every: int, period: str) -> str:
    """A beat interval (`IntervalSchedule.every`, `.period`) in words."""
    if period == "microseconds":
        return ngettext("every %(count)s microsecond", "every %(count)s microseconds", every) % {
            "count": every
        }
    return every_text(every * INTERVAL_SECONDS.get(period, 1))


def crontab_text(minute: str, hour: str, day_of_week: str, day_of_month: str, month: str):
    """A crontab that runs once a day in words ("täglich um 03:30"); None for any other."""
    if not (minute.isdigit() and hour.isdigit()) or (day_of_week, day_of_month, month) != (
        "*",
        "*",
        "*",
    ):
        return None
    if int(hour) > 23 or int(minute) > 59:
        return None
    return every_text(DAY, time(int(hour), int(minute)))
