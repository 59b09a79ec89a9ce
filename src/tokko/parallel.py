"""Running a batch on several processes, one group of input parts each.

The workers are forked: they start with everything the parent has loaded (rules, agreements,
what is known of the other parts) and the same string hashes, which the hash logs of
:mod:`tokko.onepass` depend on; the parent's objects are left out of their garbage
collections. Where fork is not available (Windows, macOS), or a single process is asked for,
:func:`workers` says 1 and the batch runs in this process. Each part runs in a process of its
own, started for it, so that no state is carried from one part to the next.

What a worker cannot compute alone it *defers* (:class:`Deferred`): it leaves the row out,
notes where it belongs, and the parent computes it when it puts the parts together
(:mod:`tokko.onepass` defers the rows of joint contracts, which need every share).
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import pickle
import sys
from collections.abc import Callable
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess
from typing import Any, TypeVar

T = TypeVar("T")
#: function(part number, report(rows done in that part)) → what the parent gets back
Task = Callable[[int, Callable[[int], None]], T]


class Deferred(Exception):  # noqa: N818 (a signal, not an error)
    """This row needs what only the parent will know: the parent computes it."""


def workers(jobs: int | None) -> int:
    """How many processes to use: ``jobs``, or one per core (None); 1 without fork."""
    if not sys.platform.startswith("linux"):
        return 1
    if jobs is None:
        return max(1, min(len(os.sched_getaffinity(0)), 8))
    return max(1, jobs)


def map_parts(task: Task[T], parts: int, tick: Callable[[int], None]) -> list[T]:
    """``task`` on every part, each in a forked process of its own; the results in order.

    ``tick`` hears, about ten times a second, how many rows all parts have done so far. An
    exception in a part is raised here; a process that dies without an answer raises
    :class:`WorkerError`.
    """
    context = multiprocessing.get_context("fork")
    done = context.Array("q", parts, lock=False)
    for stream in (sys.stdout, sys.stderr):  # a forked process would write their buffers again
        if stream is not None:
            stream.flush()
    processes: list[BaseProcess] = []
    answers: dict[Connection, int] = {}
    results: dict[int, Any] = {}
    # What the parent holds is left out of the workers' garbage collections: a full one would
    # visit every inherited object, copying the memory pages it touches (16 ms at the first).
    gc.freeze()
    try:
        for part in range(parts):
            mine, theirs = context.Pipe(duplex=False)
            process = context.Process(target=_work, args=(task, part, done, theirs),
                                      daemon=True)
            process.start()
            theirs.close()
            processes.append(process)
            answers[mine] = part
        while answers:
            for ready in wait(list(answers), timeout=0.1):
                assert isinstance(ready, Connection)
                part = answers.pop(ready)
                try:
                    ok, value = ready.recv()
                except EOFError:
                    raise WorkerError(part, processes[part]) from None
                finally:
                    ready.close()
                if not ok:
                    raise value
                results[part] = value
            tick(sum(done))
    finally:
        gc.unfreeze()
        for connection in answers:
            connection.close()
        for worker in processes:
            if worker.is_alive():
                worker.terminate()
            worker.join()
    return [results[part] for part in range(parts)]


class WorkerError(RuntimeError):
    """A worker process ended without an answer (killed, or out of memory)."""

    def __init__(self, part: int, process: BaseProcess) -> None:
        process.join()
        super().__init__(f"worker {part} ended without an answer (exit code {process.exitcode})")


def _work(task: Task[Any], part: int, done: Any, answer: Connection) -> None:
    """A worker: run the task, send back (True, what it returned) or (False, the exception)."""
    # The inherited stdout and stderr may be locked by a thread of the parent at the fork (the
    # progress bar writes from one): a worker writes to neither; what it has to say goes back
    # to the parent.
    sys.stdout = sys.stderr = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115

    def report(rows: int) -> None:
        done[part] = rows

    try:
        result: tuple[bool, Any] = (True, task(part, report))
    except BaseException as error:
        result = (False, _portable(error))
    try:
        answer.send(result)
    finally:
        answer.close()


def _portable(error: BaseException) -> BaseException:
    """``error``, or a RuntimeError naming it when it would not come through a pipe whole."""
    try:
        pickle.loads(pickle.dumps(error))
    except Exception:
        return RuntimeError(f"{type(error).__name__}: {error}")
    return error
