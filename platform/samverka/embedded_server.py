"""The embedded default's web server: werkzeug with a bounded pool of request threads.

werkzeug's ``threaded=True`` starts one thread per connection without limit. Under load every
extra thread competes for the same GIL and the same SQLite write lock, so each request takes
more CPU and more time than alone, and a burst can exhaust memory. A fixed pool (4 by default)
keeps at most that many requests in the app; the rest wait in the listen backlog. Production
runs gunicorn (infra/gunicorn.conf.py) with bounded workers × threads instead.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

from werkzeug.serving import BaseWSGIServer

DEFAULT_THREADS = 4


class PooledWSGIServer(BaseWSGIServer):
    """Handles each connection on one of ``threads`` worker threads (HTTP/1.0, no keep-alive)."""

    def __init__(self, host: str, port: int, app: Any, threads: int = DEFAULT_THREADS) -> None:
        # HTTP/1.0: an idle keep-alive connection never holds one of the few threads.
        super().__init__(host, port, app)
        self.multithread = True  # the app sees wsgi.multithread
        self._pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="samverka-web")

    def process_request(self, request: Any, client_address: Any) -> None:
        self._pool.submit(self._handle, request, client_address)

    def _handle(self, request: Any, client_address: Any) -> None:
        try:
            self.finish_request(request, client_address)
        except Exception:
            self.handle_error(request, client_address)
        finally:
            self.shutdown_request(request)

    def server_close(self) -> None:
        super().server_close()
        self._pool.shutdown(wait=False, cancel_futures=True)


def serve(app: Any, host: str, port: int, threads: int = DEFAULT_THREADS) -> None:
    """Serve until Ctrl+C."""
    server = PooledWSGIServer(host, port, app, threads)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
