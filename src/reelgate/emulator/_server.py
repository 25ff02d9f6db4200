"""Serving an emulator over real loopback HTTP: uvicorn in a daemon thread, on a free port."""

from __future__ import annotations

import socket
import threading
import time
from types import TracebackType

import uvicorn
from starlette.types import ASGIApp

from reelgate.emulator._app import PREFIXES, create_app
from reelgate.emulator._config import EmulatorConfig
from reelgate.emulator._emulator import Emulator

_START_TIMEOUT = 10.0


class EmulatedServer:
    """An emulator app (or any ASGI app) served by uvicorn from a daemon thread; a context manager.

    ``url`` is the server root (``http://127.0.0.1:PORT``); ``api_base`` is what clients take as base
    URL: ``url + "/v1"`` for OpenAI, ``url`` (the resource endpoint) for Azure, whose API lives under
    ``/openai/v1``. Entering starts the server (binding the port; port 0 picks a free one) and
    returns once it accepts connections; leaving stops it. Any other ASGI app (a test double, a
    receiver) can be served the same way; it just has no ``emulator``.
    """

    def __init__(self, app: ASGIApp, *, host: str = "127.0.0.1", port: int = 0) -> None:
        self.app = app
        state = getattr(app, "state", None)
        found = getattr(state, "emulator", None)
        self._emulator: Emulator | None = found if isinstance(found, Emulator) else None
        self._host = host
        self.port = port  # the port actually bound (never 0) once started
        self._socket: socket.socket | None = None
        config = uvicorn.Config(
            app, log_config=None, access_log=False, lifespan="off", timeout_graceful_shutdown=1
        )
        self._server = uvicorn.Server(config)
        self._thread: threading.Thread | None = None

    @property
    def emulator(self) -> Emulator:
        """The served app's :class:`Emulator` (``app.state.emulator``)."""
        if self._emulator is None:
            raise AttributeError("this server runs an app that is not an emulator")
        return self._emulator

    @property
    def url(self) -> str:
        """``http://HOST:PORT``."""
        return f"http://{self._host}:{self.port}"

    @property
    def api_base(self) -> str:
        """The base URL a client of this flavour is configured with (``url`` for a non-emulator app)."""
        if self._emulator is None or self._emulator.azure:
            return self.url
        return self.url + "/v1"

    @property
    def api_root(self) -> str:
        """Where the Videos API paths start (``/v1`` or ``/openai/v1`` appended to ``url``)."""
        return self.url + PREFIXES[self.emulator.provider]

    def start(self) -> EmulatedServer:
        """Serve in a daemon thread; return when the server is ready."""
        if self._thread is not None:
            raise RuntimeError("the server was already started")
        self._socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        # accepted connections inherit it: without it, uvicorn's separate writes of the headers and
        # the body meet the client's delayed ACK and every response waits ~40 ms
        self._socket.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self._socket.bind((self._host, self.port))
        self.port = self._socket.getsockname()[1]
        self._thread = threading.Thread(
            target=self._server.run, kwargs={"sockets": [self._socket]}, name="reelgate-emulator", daemon=True
        )
        self._thread.start()
        deadline = time.monotonic() + _START_TIMEOUT
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError("the emulator server did not start")
            time.sleep(0.005)
        return self

    def stop(self) -> None:
        """Stop serving and wait for the thread to end (idempotent)."""
        self._server.should_exit = True
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout=_START_TIMEOUT)
        if self._socket is not None:
            self._socket.close()

    def __enter__(self) -> EmulatedServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()


def run_in_thread(
    app_or_provider: ASGIApp | str = "openai",
    config: EmulatorConfig | None = None,
    *,
    host: str = "127.0.0.1",
    port: int = 0,
) -> EmulatedServer:
    """An :class:`EmulatedServer` for an app, or for a new emulator of the named provider with ``config``.

    Use it as a context manager (``with run_in_thread(app) as server:``), or call ``start()`` and
    ``stop()``.
    """
    if isinstance(app_or_provider, str):
        return EmulatedServer(create_app(app_or_provider, config), host=host, port=port)
    if config is not None:
        raise ValueError("config applies only when a provider name is given; the app already has one")
    return EmulatedServer(app_or_provider, host=host, port=port)
