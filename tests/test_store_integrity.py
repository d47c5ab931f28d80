"""The sweep store verifies itself and refuses a second writer (issue 12): one writer per folder,
every part checked against the checksum recorded when it was committed, damaged parts set aside and
exactly their runs redone on resume, a full disk that keeps what was committed, output that cannot be
written and a Dask scheduler that does not answer refused with one message."""

from __future__ import annotations

import errno
import functools
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
import yaml

from simulation.cli import main
from simulation.commands import sweep as sweep_command
from simulation.experiments import store as store_module
from simulation.experiments.integrity import TABLES
from simulation.experiments.lock import LOCK_NAME
from simulation.experiments.spec import load_experiment
from simulation.experiments.store import StoreError, load_sweep
from simulation.experiments.sweep import run_sweep

#: a world small enough for a run to take a fraction of a second
TINY = {"weeks": 8, "population": {"n_clients": 15}, "shelter": {"warmup_weeks": 4}}
SNF = str(Path(sys.executable).parent / "snf")


def write_experiment(folder: Path, replications: int = 2) -> Path:
    """2 points x `replications` x 2 strategies, recording weekly series and clients (every table)."""
    (folder / "tiny.yaml").write_text(yaml.safe_dump(TINY), encoding="utf-8")
    data = {
        "name": "exp",
        "scenario": "tiny.yaml",
        "strategies": ["resource", "flexible"],
        "replications": replications,
        "seed": 11,
        "record": {"weekly": True, "clients": True},
        "design": {"type": "grid", "parameters": {"population.refusal_share": [0.0, 0.5]}},
    }
    path = folder / "exp.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def assert_same_tables(a: Path, b: Path) -> None:
    ta, tb = load_sweep(a), load_sweep(b)
    for name in ("runs", "weekly", "clients", "design"):
        pd.testing.assert_frame_equal(getattr(ta, name), getattr(tb, name), obj=name)
    assert ta.index["run_id"].tolist() == tb.index["run_id"].tolist()


def sweep_args(path: Path, out: Path, *extra: str) -> list[str]:
    return ["sweep", str(path), "--out", str(out), "--executor", "serial", "--quiet", *extra]


@pytest.fixture(scope="module")
def reference(tmp_path_factory) -> tuple[Path, Path]:
    """An undisturbed sweep of 8 runs in 4 batches of 2 (the experiment file, the folder)."""
    folder = tmp_path_factory.mktemp("reference")
    path = write_experiment(folder)
    outcome = run_sweep(load_experiment(path), folder / "sweep", flush_runs=2, flush_seconds=3600)
    assert outcome.status == "complete"
    return path, folder / "sweep"


@pytest.fixture
def damaged_copy(reference, tmp_path) -> tuple[Path, Path, Path]:
    path, ref = reference
    out = tmp_path / "out"
    shutil.copytree(ref, out)
    return path, ref, out


def truncate(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


DAMAGE = {"truncated": truncate, "deleted": Path.unlink}


def run_cli(args: list[str], capsys) -> tuple[int, str, str]:
    code = main(args)
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    return code, captured.out, captured.err


# --- damaged parts --------------------------------------------------------------------------------


@pytest.mark.parametrize("how", sorted(DAMAGE))
@pytest.mark.parametrize("table", TABLES)
def test_a_damaged_part_is_found_refused_and_exactly_its_runs_rerun(damaged_copy, table, how, capsys):
    path, ref, out = damaged_copy
    damaged = out / "parts" / f"{table}-000-00001.parquet"  # the batch of runs 2 and 3
    DAMAGE[how](damaged)

    code, report, _ = run_cli(["check", str(out)], capsys)
    assert code == 1
    reason = "missing" if how == "deleted" else "recorded (truncated or changed)"
    assert f"parts/{damaged.name}: " in report and reason in report
    with pytest.raises(StoreError, match=damaged.name):
        load_sweep(out)
    intact = load_sweep(out, allow_partial=True)
    assert intact.runs["run_id"].tolist() == [0, 1, 4, 5, 6, 7]
    assert [d.what for d in intact.damage] == [f"parts/{damaged.name}"]

    code, printed, _ = run_cli(sweep_args(path, out, "--resume"), capsys)
    assert code == 0
    assert "2 runs now, 6 already done" in printed
    assert_same_tables(ref, out)
    assert run_cli(["check", str(out)], capsys)[0] == 0
    left = {f"{t}-000-00001.parquet" for t in TABLES} - ({damaged.name} if how == "deleted" else set())
    assert {p.name for p in (out / "damaged").iterdir()} == left
    repairs = json.loads((out / "manifest.json").read_text())["sessions"][-1]["repairs"]
    assert "batch 000-00001 damaged" in repairs[0]


def _runs_in_complete_lines(catalogue: bytes) -> int:
    lines = catalogue.split(b"\n")[:-1]  # the part after the last newline was cut off
    return sum(len(json.loads(line)["runs"]) for line in lines if b'"batch"' in line)


@pytest.mark.parametrize("how", sorted(DAMAGE))
@pytest.mark.parametrize("name", ["manifest.json", "catalogue.jsonl", "design.parquet"])
def test_a_damaged_manifest_catalogue_or_design_is_repaired_on_resume(damaged_copy, name, how, capsys):
    path, ref, out = damaged_copy
    DAMAGE[how](out / name)
    kept = 8
    if name == "catalogue.jsonl":
        kept = _runs_in_complete_lines((out / name).read_bytes()) if how == "truncated" else 0

    code, report, err = run_cli(["check", str(out)], capsys)
    assert code == 1 and name in report
    with pytest.raises(StoreError, match=name):
        load_sweep(out)

    code, printed, err = run_cli(sweep_args(path, out, "--resume"), capsys)
    assert code == 0, err
    assert f"{8 - kept} runs now, {kept} already done" in printed
    assert_same_tables(ref, out)
    assert run_cli(["check", str(out)], capsys)[0] == 0


def test_a_sweep_from_before_checksums_is_read_and_catalogued_on_resume(damaged_copy, capsys):
    path, ref, out = damaged_copy
    (out / "catalogue.jsonl").unlink()
    manifest = json.loads((out / "manifest.json").read_text())
    del manifest["store"]
    (out / "manifest.json").write_text(json.dumps(manifest))
    assert run_cli(["check", str(out)], capsys)[0] == 0
    assert_same_tables(ref, out)
    code, printed, _ = run_cli(sweep_args(path, out, "--resume"), capsys)
    assert code == 0 and "0 runs now, 8 already done" in printed
    assert (out / "catalogue.jsonl").exists()


# --- sessions, resume and check -------------------------------------------------------------------


@pytest.mark.parametrize("command", ["sweep", "compare"])
def test_resuming_a_folder_that_does_not_exist_says_so(command, reference, scenario_dir, tmp_path, capsys):
    out = tmp_path / "nowhere"
    if command == "sweep":
        args = sweep_args(reference[0], out, "--resume")
    else:
        args = ["compare", "--scenario", str(scenario_dir / "tiny.yaml"), "--out", str(out), "--resume"]
    code, _, err = run_cli(args, capsys)
    assert code == 2
    assert "does not exist" in err and "without --resume" in err
    assert not out.exists()


def test_check_tells_a_sweep_from_no_sweep(reference, tmp_path, capsys):
    code, report, _ = run_cli(["check", str(reference[1])], capsys)
    assert code == 0 and "8 of 8 runs" in report and "intact" in report
    (tmp_path / "empty").mkdir()
    (tmp_path / "file").write_text("x")
    for target in ("missing", "empty", "file"):
        code, _, err = run_cli(["check", str(tmp_path / target)], capsys)
        assert code == 2 and "not a sweep folder" in err


# --- one writer at a time -------------------------------------------------------------------------


def _hold_lock(folder: Path) -> subprocess.Popen:
    """Another process that takes the folder's lock and keeps it."""
    code = (
        "import sys, time\nfrom simulation.experiments import lock\n"
        f"lock.acquire({str(folder)!r})\nprint('held', flush=True)\ntime.sleep(120)\n"
    )
    process = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    assert process.stdout is not None and process.stdout.readline().strip() == "held"
    return process


def test_a_live_holder_is_refused_and_a_dead_ones_lock_taken_over(damaged_copy, capsys, caplog):
    path, ref, out = damaged_copy
    holder = _hold_lock(out)
    try:
        for extra in ([], ["--resume"]):
            code, _, err = run_cli(sweep_args(path, out, *extra), capsys)
            assert code == 2
            assert "being written by another sweep" in err and f"pid {holder.pid}" in err
    finally:
        holder.kill()  # like a lost process: its lock file stays behind
        holder.wait()
    assert json.loads((out / LOCK_NAME).read_text())["pid"] == holder.pid
    code, printed, _ = run_cli(sweep_args(path, out, "--resume"), capsys)
    assert code == 0 and "0 runs now, 8 already done" in printed
    assert "took over a stale lock" in caplog.text and f"pid {holder.pid}" in caplog.text
    assert not (out / LOCK_NAME).exists()
    assert_same_tables(ref, out)


def test_a_lock_left_with_a_pid_now_reused_by_this_process_is_stale(damaged_copy, capsys, caplog):
    path, _, out = damaged_copy
    left = {"pid": os.getpid(), "host": socket.gethostname(), "started": "before a restart"}
    (out / LOCK_NAME).write_text(json.dumps(left))
    code, _, _ = run_cli(sweep_args(path, out, "--resume"), capsys)
    assert code == 0 and "took over a stale lock" in caplog.text


def test_a_lock_from_another_host_is_not_taken_over(damaged_copy, capsys):
    path, _, out = damaged_copy
    (out / LOCK_NAME).write_text(json.dumps({"pid": 1, "host": "elsewhere.example", "started": "earlier"}))
    code, _, err = run_cli(sweep_args(path, out, "--resume"), capsys)
    assert code == 2 and "elsewhere.example" in err and f"delete {out / LOCK_NAME}" in err


def test_a_comparison_into_a_folder_being_written_is_refused(scenario_dir, tmp_path, capsys):
    out = tmp_path / "out"
    out.mkdir()
    holder = _hold_lock(out)
    try:
        scenario = str(scenario_dir / "tiny.yaml")
        args = ["compare", "--scenario", scenario, "--out", str(out), "--reps", "1", "--quiet"]
        code, _, err = run_cli(args, capsys)
    finally:
        holder.kill()
        holder.wait()
    assert code == 2 and "being written by another sweep" in err and f"pid {holder.pid}" in err
    assert [p.name for p in out.iterdir()] == [LOCK_NAME]  # nothing replaced, nothing written


#: runs in the long sweep: enough to take several of the store's 2-second commits (about 10 s;
#: 24 runs once did, but they now finish within one commit)
LONG_REPLICATIONS = 40
LONG_RUNS = 2 * LONG_REPLICATIONS * 2


@pytest.fixture(scope="module")
def long_reference(tmp_path_factory) -> tuple[Path, Path]:
    """An undisturbed sweep long enough to be interfered with while it runs."""
    folder = tmp_path_factory.mktemp("long")
    path = write_experiment(folder, replications=LONG_REPLICATIONS)
    assert run_sweep(load_experiment(path), folder / "sweep").status == "complete"
    return path, folder / "sweep"


def _wait_for(condition, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


@pytest.mark.slow
def test_two_sweeps_into_one_folder_the_second_is_refused_the_first_completes(
    long_reference, tmp_path, capsys
):
    path, ref = long_reference
    out = tmp_path / "out"
    first = subprocess.Popen([SNF, *sweep_args(path, out)], stderr=subprocess.PIPE, text=True)
    lock_file = out / LOCK_NAME

    def locked_by_first() -> bool:
        try:
            return json.loads(lock_file.read_text())["pid"] == first.pid
        except (OSError, ValueError):
            return False

    _wait_for(locked_by_first)
    for extra in ([], ["--resume"]):  # a second sweep, or a resume, while the first runs
        code, _, err = run_cli(sweep_args(path, out, *extra), capsys)
        assert code == 2, err
        assert "being written by another sweep" in err and f"pid {first.pid}" in err
    assert first.poll() is None, "the first sweep should still be running"
    _, err = first.communicate(timeout=300)
    assert first.returncode == 0, err
    assert_same_tables(ref, out)
    manifest = json.loads((out / "manifest.json").read_text())
    assert [s["status"] for s in manifest["sessions"]] == ["complete"]


@pytest.mark.slow
def test_a_killed_session_is_marked_interrupted_and_its_lock_taken_over(
    long_reference, tmp_path, capsys, caplog
):
    path, ref = long_reference
    out = tmp_path / "out"
    process = subprocess.Popen([SNF, *sweep_args(path, out)], start_new_session=True)

    def one_batch_committed() -> bool:
        catalogue = out / "catalogue.jsonl"
        return catalogue.exists() and b'"batch"' in catalogue.read_bytes()

    _wait_for(one_batch_committed)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    done = len(load_sweep(out).runs)
    assert 0 < done < LONG_RUNS, "the sweep should have been killed part-way"
    code, report, _ = run_cli(["check", str(out)], capsys)
    assert code == 0 and "cut off" in report

    code, printed, _ = run_cli(sweep_args(path, out, "--resume"), capsys)
    assert code == 0 and f"{LONG_RUNS - done} runs now, {done} already done" in printed
    assert "took over a stale lock" in caplog.text
    sessions = json.loads((out / "manifest.json").read_text())["sessions"]
    assert [s["status"] for s in sessions] == ["interrupted", "complete"]
    assert_same_tables(ref, out)


# --- output that cannot be written ----------------------------------------------------------------


class Tmpfs:
    """A small RAM file system mounted for one test (needs root and mount rights)."""

    def __init__(self, where: Path, size: str) -> None:
        where.mkdir()
        self.where = where
        result = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)],
            capture_output=True,
            text=True,
        )
        if result.returncode != 0:
            pytest.skip(f"cannot mount a tmpfs here ({result.stderr.strip() or 'mount failed'})")

    def remount(self, options: str) -> None:
        subprocess.run(["mount", "-o", f"remount,{options}", str(self.where)], check=True)

    def fill(self) -> None:
        """Take up every free byte."""
        with open(self.where / "filler", "wb", buffering=0) as fh:
            try:
                while True:
                    fh.write(b"\0" * 4096)
            except OSError as e:
                assert e.errno == errno.ENOSPC

    def unmount(self) -> None:
        subprocess.run(["umount", "-l", str(self.where)], check=False)


@pytest.fixture
def tmpfs(tmp_path):
    mounts: list[Tmpfs] = []

    def make(size: str) -> Tmpfs:
        mounts.append(Tmpfs(tmp_path / f"disk{len(mounts)}", size))
        return mounts[-1]

    yield make
    for mount in mounts:
        mount.unmount()


@pytest.mark.parametrize(
    "case, expected",
    [
        ("below_a_file", "is a file, not a folder"),
        ("a_file", "exists and is not a folder"),
        ("too_long", "File name too long"),
        ("nul", "NUL"),
        ("read_only", "Read-only file system"),
        ("full_from_the_start", "No space left on device"),
    ],
)
def test_output_that_cannot_be_written_is_refused_with_one_message(
    case, expected, reference, tmp_path, tmpfs, capsys
):
    (tmp_path / "file").write_text("x")
    out = {
        "below_a_file": tmp_path / "file" / "out",
        "a_file": tmp_path / "file",
        "too_long": tmp_path / ("x" * 300),
        "nul": tmp_path / "a\0b",
    }.get(case)
    if case == "read_only":
        disk = tmpfs("1m")
        disk.remount("ro")
        out = disk.where / "out"
    elif case == "full_from_the_start":
        disk = tmpfs("256k")
        disk.fill()
        out = disk.where / "out"
    assert out is not None
    before = sorted(p.name for p in tmp_path.iterdir())
    code, _, err = run_cli(sweep_args(reference[0], out), capsys)
    assert code == 2
    assert expected in err and len(err.strip().splitlines()) == 1, err
    assert sorted(p.name for p in tmp_path.iterdir()) == before
    if case in ("read_only", "full_from_the_start"):
        assert not out.exists()


def _small_batches(monkeypatch) -> None:
    """Batches of two runs through the CLI, as in the reference (so a failure lands between batches)."""
    monkeypatch.setattr(
        sweep_command, "run_sweep", functools.partial(run_sweep, flush_runs=2, flush_seconds=3600)
    )


def _assert_kept_and_resumed(path: Path, ref: Path, out: Path, err: str, capsys) -> None:
    assert "No space left on device" in err
    committed = len(load_sweep(out).runs)  # what was committed loads, intact
    assert 0 < committed < 8
    assert f"The {committed} run(s) committed before are kept in {out}" in err
    assert f"snf sweep {path} --out {out} --executor serial --quiet --resume" in err
    code, printed, _ = run_cli(sweep_args(path, out, "--resume"), capsys)
    assert code == 0 and f"{8 - committed} runs now, {committed} already done" in printed
    assert_same_tables(ref, out)
    sessions = json.loads((out / "manifest.json").read_text())["sessions"]
    status = sessions[0]["status"]  # recorded when the disk still took the manifest, else found on resume
    assert status == "interrupted" or status.startswith("stopped: could not write"), status


def test_a_disk_that_fills_keeps_the_committed_runs_and_says_how_to_resume(
    reference, tmp_path, monkeypatch, capsys
):
    """A full disk simulated in the writer: the third batch cannot be written."""
    path, ref = reference
    out = tmp_path / "out"
    _small_batches(monkeypatch)
    real, calls = store_module.atomic_write, []

    def full_after_two_batches(target: Path, write):
        if target.parent.name == "parts":
            calls.append(target)
            if len(calls) > 2 * len(TABLES):
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(target))
        return real(target, write)

    monkeypatch.setattr(store_module, "atomic_write", full_after_two_batches)
    code, _, err = run_cli(sweep_args(path, out), capsys)
    assert code == 2 and len(err.strip().splitlines()) == 1, err
    monkeypatch.setattr(store_module, "atomic_write", real)
    assert len(load_sweep(out).runs) == 4
    _assert_kept_and_resumed(path, ref, out, err, capsys)


def test_a_real_full_disk_keeps_the_committed_runs_and_resumes_identically(
    reference, tmpfs, monkeypatch, capsys
):
    path, ref = reference
    disk = tmpfs("320k")  # room for the manifest, the design and two or three batches
    out = disk.where / "out"
    _small_batches(monkeypatch)
    code, _, err = run_cli(sweep_args(path, out), capsys)
    assert code == 2, err
    disk.remount("size=64m")  # room made
    _assert_kept_and_resumed(path, ref, out, err, capsys)


# --- a Dask scheduler that does not answer --------------------------------------------------------


@pytest.mark.parametrize("listener", ["refuses", "silent"])
def test_a_dask_scheduler_that_does_not_answer_is_reported_quickly(listener, reference, tmp_path, capsys):
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    port = server.getsockname()[1]
    if listener == "silent":
        server.listen(1)  # accepts the connection, never says a word
    else:
        server.close()
    out = tmp_path / "out"
    started = time.monotonic()
    try:
        code, _, err = run_cli(
            [
                "sweep",
                str(reference[0]),
                "--out",
                str(out),
                "--executor",
                "dask",
                "--scheduler",
                f"tcp://127.0.0.1:{port}",
            ],
            capsys,
        )
    finally:
        server.close()
    assert code == 2
    assert time.monotonic() - started < 15
    assert f"tcp://127.0.0.1:{port}" in err and "Dask scheduler" in err and len(err.strip().splitlines()) == 1
    assert not out.exists()
