"""The one scheduler process of `make run`: the daily run once a day, the tables in between."""

import logging
import time

from portal.db.models import utcnow
from portal.db.statistics import states
from portal.services.statistics import daily
from portal.services.statistics.monitoring import day_of

log = logging.getLogger("portal.scheduler")


def due_today(now, hour):
    """True when today's daily run is due (past its hour) and has not been recorded yet."""
    return now.hour >= hour and not states.runs(day_of(now))


def tick(config, now, last_tables):
    """One look at the clock: run what is due; returns the time the tables were last made."""
    if due_today(now, config["MONITORING_HOUR"]):
        daily.run(config, now)
        return time.monotonic()
    if time.monotonic() - last_tables >= config["STATISTICS_REFRESH_SECONDS"]:
        daily.refresh_tables(now)
        return time.monotonic()
    return last_tables


def forever(config, clock=utcnow, sleep=time.sleep, step=30):
    """Tick until stopped; a failed tick is logged and retried at the next one."""
    last_tables = float("-inf")
    while True:
        try:
            last_tables = tick(config, clock(), last_tables)
        except Exception:
            log.exception("scheduled statistics work failed")
        sleep(step)
