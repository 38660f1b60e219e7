"""Ctrl-C stops a run with exit 130 and no traceback, wherever it lands: also when a
library catches the KeyboardInterrupt in one of its callbacks and raises its own error
(pydantic's serializer does), in the batch loop and in the command line."""

from __future__ import annotations

import os
import signal
from typing import Any

import pytest

from govrules.base.interrupts import Interrupts, interrupted
from govrules.cli.main import EXIT_INTERRUPTED, main
from govrules.io import batch
from govrules.io.formats import common
from tests.conftest import EXAMPLE


def _wrapped_interrupt(*_args: Any, **_kwargs: Any) -> Any:
    """SIGINT arriving inside a library call that wraps the KeyboardInterrupt."""
    try:
        os.kill(os.getpid(), signal.SIGINT)
    except KeyboardInterrupt:
        raise RuntimeError("Error serializing to JSON: KeyboardInterrupt") from None
    raise AssertionError("SIGINT did not interrupt")


def test_an_interrupt_wrapped_while_encoding_exits_130(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(common, "json_safe", _wrapped_interrupt)
    assert main(["check", str(EXAMPLE), "--format", "json"]) == EXIT_INTERRUPTED == 130
    err = capsys.readouterr().err
    assert "internal error" not in err
    assert "Traceback" not in err


def test_an_interrupt_wrapped_while_checking_a_record_stops_the_batch(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    calls: list[int] = []

    def evaluate_pack(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        return _wrapped_interrupt()

    monkeypatch.setattr(batch, "evaluate_pack", evaluate_pack)
    code = main(["check", str(EXAMPLE), str(EXAMPLE), "--format", "jsonl"])
    out, err = capsys.readouterr()
    assert code == 130
    assert calls == [1]  # the second record is not checked
    assert "internal-error" not in out + err


def test_an_error_without_an_interrupt_is_still_an_internal_error(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    def broken(*_args: Any, **_kwargs: Any) -> Any:
        raise RuntimeError("a bug")

    monkeypatch.setattr(common, "json_safe", broken)
    assert main(["check", str(EXAMPLE), "--format", "json"]) == 3
    assert "internal error: RuntimeError: a bug" in capsys.readouterr().err


def test_the_handler_is_put_back_and_the_note_cleared() -> None:
    before = signal.getsignal(signal.SIGINT)
    with Interrupts():
        assert signal.getsignal(signal.SIGINT) is not before
        with pytest.raises(KeyboardInterrupt):
            os.kill(os.getpid(), signal.SIGINT)
        assert interrupted()
    assert signal.getsignal(signal.SIGINT) is before
    assert not interrupted()


def test_an_ignored_sigint_stays_ignored() -> None:
    before = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        with Interrupts():
            assert signal.getsignal(signal.SIGINT) is signal.SIG_IGN
            os.kill(os.getpid(), signal.SIGINT)  # ignored: nothing is raised
            assert not interrupted()
        assert signal.getsignal(signal.SIGINT) is signal.SIG_IGN
    finally:
        signal.signal(signal.SIGINT, before)
