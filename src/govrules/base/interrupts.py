"""Ctrl-C as exit 130, wherever it lands.

An interrupt raised inside a library's callback can come back as that library's own
error (pydantic's serializer turns a KeyboardInterrupt in a Python serializer into a
``PydanticSerializationError``). While :class:`Interrupts` is entered, SIGINT raises
KeyboardInterrupt and is also noted, so :func:`interrupted` tells the code that catches
such an error (the batch loop, the command line) that the run was stopped, not broken.
"""

from __future__ import annotations

import signal
import threading
from types import FrameType, TracebackType
from typing import Any

__all__ = ["Interrupts", "interrupted"]

_fired = threading.Event()


def interrupted() -> bool:
    """Whether SIGINT arrived since the innermost :class:`Interrupts` was entered."""
    return _fired.is_set()


class Interrupts:
    """While entered in the main thread, SIGINT raises KeyboardInterrupt and is noted
    (:func:`interrupted`); the previous handler is put back on exit. A process that
    ignores SIGINT (``nohup``, a worker) keeps ignoring it."""

    def __init__(self) -> None:
        self._previous: Any = None
        self._installed = False

    def __enter__(self) -> Interrupts:
        if threading.current_thread() is threading.main_thread():
            previous = signal.getsignal(signal.SIGINT)
            if previous is not signal.SIG_IGN:
                _fired.clear()
                self._previous = signal.signal(signal.SIGINT, _handle)
                self._installed = True
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 traceback: TracebackType | None) -> None:
        if self._installed:
            signal.signal(signal.SIGINT, self._previous)
            self._installed = False
            _fired.clear()


def _handle(signum: int, frame: FrameType | None) -> None:
    _fired.set()
    raise KeyboardInterrupt
