"""A sandbox in its own process for benchmarks, so that it shares no GIL with what is measured."""

from __future__ import annotations

import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def sandbox_process(*flags: str) -> Iterator[str]:
    with tempfile.TemporaryDirectory(prefix="mediatui-bench-") as folder:
        proc = subprocess.Popen(
            [sys.executable, "-m", "mediatui", "sandbox", "--port", "0", "--data-dir", folder, *flags],
            stdout=subprocess.PIPE,
            text=True,
        )
        try:
            line = proc.stdout.readline()
            if not line.startswith("mediatui sandbox on "):
                raise RuntimeError(f"the sandbox did not start: {line!r}")
            yield line.split()[3]
        finally:
            proc.terminate()
            proc.wait(10)
