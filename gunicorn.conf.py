"""gunicorn settings: `make run` and `make bench` start the site with this file."""

import gc
import multiprocessing
import os

bind = f"127.0.0.1:{os.environ.get('PORT', '8000')}"
if os.environ.get("GUNICORN_BIND"):
    bind = os.environ["GUNICORN_BIND"]
# Sync workers: (2 x cores) + 1 is gunicorn's rule of thumb for a mostly I/O-bound Django site.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
# Recycle workers now and then so a slow leak can never grow unbounded; jitter staggers restarts.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", 2000))
max_requests_jitter = 200
timeout = 30
graceful_timeout = 30
keepalive = 5
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# Method, path and status only: no client address, query string or body, so no patient data.
access_log_format = '"%(m)s %(U)s" %(s)s %(B)s %(M)sms'
wsgi_app = "avyia_site.wsgi:application"
# A unix socket (GUNICORN_BIND=unix:...) is created without rights for others: only the socket
# directory's group (nginx's user) may connect.
umask = 0o007
# Load the site once, in the master, and fork the workers from it: start-up work (the ZIP code
# index, about 0.4 s and 140 MB) is done once and its memory shared, instead of repeated by each
# worker on its first patient and again whenever a worker is recycled.
preload_app = True
# One shared control socket per user would make several servers on a machine (site, benchmarks,
# tests) trip over each other; the site needs none.
control_socket_disable = True


def when_ready(server):
    # Once, before the first worker is forked: what the master loaded lives as long as the workers
    # do, and freezing it keeps each worker's garbage collector from writing to those objects,
    # which would copy the shared pages into every worker.
    gc.collect()
    gc.freeze()
