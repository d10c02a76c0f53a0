"""What the benchmarks read from /proc (Linux): a process's memory and the machine's load."""
from __future__ import annotations


def memory_mb(field: str = "VmRSS", pid: int | str = "self") -> float:
    """``field`` of /proc/PID/status in MB: VmRSS (resident now) or VmHWM (the most so far)."""
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    return float("nan")


def loadavg() -> str:
    """The 1, 5 and 15 minute load averages."""
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])
