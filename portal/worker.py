"""`python -m portal.worker` (or `flask --app wsgi jobs worker`): run the queued upload jobs.

`make run` starts one beside gunicorn; production runs it as a command of its own, as many as
wanted on any host (docs/deploy.md): jobs are claimed from MongoDB with a lease, so workers
never share one, and at most JOB_CONCURRENCY run at once across all of them. SIGTERM lets the
running jobs end, then stops.
"""

import logging
import signal
import threading

from portal.services.publishing import upload_jobs

log = logging.getLogger("portal.worker")


def serve(config, stop=None, threads=None):
    """Run jobs until `stop` is set: JOB_CONCURRENCY threads, each claiming one job at a time."""
    stop = stop or threading.Event()
    settings = upload_jobs.JobSettings(config)
    poll = config["JOB_POLL_SECONDS"]

    def work():
        worker = upload_jobs.worker_id()
        while not stop.is_set():
            try:
                ran = upload_jobs.run_next(settings, worker)
            except Exception:  # noqa: BLE001 - a database hiccup must not end the worker
                log.exception("job loop error")
                ran = None
            if ran is None:
                stop.wait(poll)

    count = threads or settings.concurrency
    pool = [threading.Thread(target=work, name=f"jobs-{n}") for n in range(count)]
    for thread in pool:
        thread.start()
    log.info("worker started", extra={"fields": {"threads": count}})
    for thread in pool:
        thread.join()
    log.info("worker stopped")


def main():
    from portal.app import create_app

    app = create_app()
    stop = threading.Event()

    def ask_to_stop(signum, _frame):
        stop.set()

    signal.signal(signal.SIGTERM, ask_to_stop)
    signal.signal(signal.SIGINT, ask_to_stop)
    with app.app_context():
        serve(app.config, stop)


if __name__ == "__main__":
    main()
