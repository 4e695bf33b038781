"""Retraining jobs the ML backend starts: one ``maritime-ner retrain`` subprocess at a time, with its status.

The backend never imports training code (serving stays free of torch); it runs the same
command a user runs, ``python -m maritime_ner retrain --project ID ...``, with the backend's
environment (``LABEL_STUDIO_URL`` / ``LABEL_STUDIO_API_KEY``), and reads the report the job
writes (``retrain.json``) for its outcome.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Callable, Sequence

REPORT_FILE = "retrain.json"  # written by training.retrain into its --report-dir

Command = Callable[[int, Path], list[str]]  # (project id, report folder) -> argv


def retrain_command(extra: Sequence[str] = ()) -> Command:
    """``python -m maritime_ner retrain --project ID --report-dir DIR`` followed by ``extra``."""
    def command(project: int, report_dir: Path) -> list[str]:
        return [sys.executable, "-m", "maritime_ner", "retrain", "--project", str(project),
                "--report-dir", str(report_dir), *extra]

    return command


@dataclass
class Job:
    """One retraining run and what came of it."""

    id: int
    project: int
    reason: str
    report_dir: str
    log: str
    state: str = "running"  # running | finished | failed
    started: float = field(default_factory=time.time)
    finished: float | None = None
    returncode: int | None = None
    decision: str | None = None  # deploy | keep (from the report)
    summary: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


class RetrainJobs:
    """Starts retraining subprocesses (never two at once) and keeps their status."""

    def __init__(self, command: Command, workdir: Path, retrain_after: int = 0):
        self.command, self.workdir, self.retrain_after = command, Path(workdir), retrain_after
        self.jobs: list[Job] = []
        self.new_annotations: dict[int, int] = {}  # project -> annotations created/updated since its last job
        self._lock = threading.Lock()
        self._process: subprocess.Popen | None = None

    def running(self) -> Job | None:
        """The job in progress, if any."""
        return self.jobs[-1] if self.jobs and self.jobs[-1].state == "running" else None

    def start(self, project: int, reason: str) -> tuple[bool, Job]:
        """Start a job for ``project``; (False, running job) when one is already going."""
        with self._lock:
            current = self.running()
            if current is not None:
                return False, current
            n = len(self.jobs) + 1
            folder = self.workdir / f"job-{n}"
            folder.mkdir(parents=True, exist_ok=True)
            job = Job(n, project, reason, str(folder), str(folder / "retrain.log"))
            log = open(job.log, "wb")
            try:
                self._process = subprocess.Popen(self.command(project, folder), stdout=log, stderr=subprocess.STDOUT,
                                                 stdin=subprocess.DEVNULL)
            except OSError as err:
                log.close()
                job.state, job.summary, job.finished = "failed", f"could not start: {err}", time.time()
                self.jobs.append(job)
                return True, job
            self.jobs.append(job)
            self.new_annotations[project] = 0
            threading.Thread(target=self._wait, args=(job, self._process, log), daemon=True).start()
            return True, job

    def _wait(self, job: Job, process: subprocess.Popen, log: Any) -> None:
        """Wait for the subprocess, then record its outcome from its report."""
        code = process.wait()
        log.close()
        report = Path(job.report_dir) / REPORT_FILE
        with self._lock:
            job.returncode, job.finished = code, time.time()
            job.state = "finished" if code == 0 else "failed"
            if report.exists():
                try:
                    data = json.loads(report.read_text(encoding="utf-8"))
                    job.decision, job.summary = data.get("decision"), data.get("reason")
                except (OSError, ValueError) as err:
                    job.summary = f"unreadable report: {err}"
            if job.summary is None:
                tail = Path(job.log).read_text(encoding="utf-8", errors="replace").strip().splitlines()[-3:]
                job.summary = " | ".join(tail) or f"exit status {code}"

    def annotation_event(self, project: int) -> Job | None:
        """Count a created/updated annotation; start a job when ``retrain_after`` of them have come in."""
        with self._lock:
            self.new_annotations[project] = self.new_annotations.get(project, 0) + 1
            due = self.retrain_after > 0 and self.new_annotations[project] >= self.retrain_after
        if not due:
            return None
        started, job = self.start(project, f"{self.retrain_after} new annotations")
        return job if started else None

    def status(self) -> dict[str, Any]:
        """What ``GET /retrain/status`` answers: the latest job, the recent ones, pending annotation counts."""
        with self._lock:
            return {
                "running": self.running() is not None,
                "latest": self.jobs[-1].as_dict() if self.jobs else None,
                "jobs": [j.as_dict() for j in self.jobs[-10:]],
                "new_annotations": {str(k): v for k, v in self.new_annotations.items()},
                "retrain_after": self.retrain_after,
            }

    def close(self, timeout: float = 10.0) -> None:
        """Stop a job still running (the backend is going away)."""
        process = self._process
        if process is not None and process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout)
            except subprocess.TimeoutExpired:
                process.kill()
