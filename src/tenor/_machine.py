"""Facts about the machine that decide how much runs at once and what a timing means."""

from __future__ import annotations

import os
import platform

__all__ = ["cpu_model", "usable_cores"]


def usable_cores() -> int:
    """The cores this process may run on (its affinity, as a container or taskset limits it)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def cpu_model() -> str:
    """The CPU's model name: speed measured on one machine type does not hold on another."""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            for line in info:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()
