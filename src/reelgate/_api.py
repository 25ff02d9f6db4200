"""The module-level functions of the seed page (``video_generation``, ``avideo_status``, ...).

Sync functions share one lazily built :class:`~reelgate.Client` per process. Async functions use a
short-lived :class:`~reelgate.AsyncClient` per call, so they work in any event loop (each
``asyncio.run`` gets its own loop, which a pooled async connection cannot outlive); for connection
reuse across many async calls, hold an ``AsyncClient`` yourself. Credentials and base URLs are read
from the environment at call time, so setting ``os.environ[...]`` after import works.
"""

from __future__ import annotations

import atexit
import threading

from reelgate._client import AsyncClient, Client
from reelgate._functions import VideoFunctions

_default_client: Client | None = None
_default_lock = threading.Lock()


def default_client() -> Client:
    """The process-wide client behind the sync module-level functions (built on first use)."""
    global _default_client
    if _default_client is None:
        with _default_lock:
            if _default_client is None:
                _default_client = Client()
                atexit.register(_default_client.close)
    return _default_client


_functions = VideoFunctions(default_client, AsyncClient)

video_generation = _functions.video_generation
video_status = _functions.video_status
video_retrieval = _functions.video_retrieval
video_content = _functions.video_content
video_content_stream = _functions.video_content_stream
video_download = _functions.video_download
video_remix = _functions.video_remix
video_list = _functions.video_list
video_delete = _functions.video_delete
video_wait = _functions.video_wait
avideo_generation = _functions.avideo_generation
avideo_status = _functions.avideo_status
avideo_retrieval = _functions.avideo_retrieval
avideo_content = _functions.avideo_content
avideo_content_stream = _functions.avideo_content_stream
avideo_download = _functions.avideo_download
avideo_remix = _functions.avideo_remix
avideo_list = _functions.avideo_list
avideo_delete = _functions.avideo_delete
avideo_wait = _functions.avideo_wait
