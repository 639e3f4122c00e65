"""The embedded server keeps at most its pool of requests in the app, and answers them all."""

from __future__ import annotations

import threading
import urllib.request

from samverka.embedded_server import PooledWSGIServer


def test_a_burst_of_requests_runs_at_most_pool_size_at_once_and_all_are_answered():
    lock = threading.Lock()
    release = threading.Event()
    state = {"now": 0, "most": 0}

    def app(environ, start_response):
        with lock:
            state["now"] += 1
            state["most"] = max(state["most"], state["now"])
        release.wait(timeout=30)
        with lock:
            state["now"] -= 1
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [b"multithread" if environ["wsgi.multithread"] else b"single"]

    server = PooledWSGIServer("127.0.0.1", 0, app, threads=2)
    serving = threading.Thread(target=server.serve_forever, daemon=True)
    serving.start()
    url = f"http://127.0.0.1:{server.server_port}/"
    answers = []

    def fetch() -> None:
        with urllib.request.urlopen(url, timeout=60) as response:
            answers.append(response.read())

    clients = [threading.Thread(target=fetch) for _ in range(6)]
    try:
        for client in clients:
            client.start()
        # Wait until the pool is full and every connection has been accepted.
        while state["now"] < 2:
            threading.Event().wait(0.01)
        threading.Event().wait(0.3)
        assert state["now"] == 2  # the other four wait; unbounded threads would run all six
        release.set()
        for client in clients:
            client.join(timeout=60)
    finally:
        release.set()
        server.shutdown()
        server.server_close()
    assert answers == [b"multithread"] * 6
    assert state["most"] == 2
