"""A second core for independent work: a forked helper process where forking is safe."""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager

_inherited: object = None  # what the helper's functions read: a forked child inherits it


@contextmanager
def forked_helper(inherited: object, fork: bool = True) -> Iterator[Callable[..., Future]]:
    """`submit(function, *args)`: run it in a forked helper process (its Future), or at
    once in this process: when not to `fork` (too little work to pay for one), on one
    core, off Linux (fork is safe there) or inside a daemonic batch worker (which may not
    have children: the batch already uses the cores). The results are the same either way.
    The helper's functions read `inherited()`, which the child inherits as it is: nothing
    is pickled on the way in. Ctrl-C is left to this process (the helper ignores it and is
    waited for)."""
    global _inherited
    outer, _inherited = _inherited, inherited  # an enclosing helper's, restored on leaving
    try:
        if not fork or (os.cpu_count() or 1) < 2 or multiprocessing.current_process().daemon or \
                not sys.platform.startswith("linux"):
            yield _done
            return
        with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork"),
                                 initializer=signal.signal,
                                 initargs=(signal.SIGINT, signal.SIG_IGN)) as pool:
            yield pool.submit
    finally:
        _inherited = outer


def inherited() -> object:
    """The object the enclosing `forked_helper` was given."""
    return _inherited


def _done(function: Callable, *args) -> Future:
    """`function(*args)` run now, as a completed Future."""
    future: Future = Future()
    future.set_result(function(*args))
    return future
