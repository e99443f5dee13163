"""How the progress store behaves when things go wrong: crashes, two sessions at once, damaged or
foreign files, unwritable folders, newer files, migrations, network filesystems, permissions."""

from __future__ import annotations

import os
import signal
import sqlite3
import stat
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from tutor import progress
from tutor.progress import NotSaved, ProgressStore, SchemaTooNew

ROOT = Path(progress.__file__).resolve().parents[1]


def _python(script: str, *args: str) -> subprocess.Popen:
    env = os.environ | {"PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(script), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


def _integrity(path: Path) -> str:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        conn.close()


def _real_database(path: Path, rows: int = 200) -> None:
    with ProgressStore.open(path.parent) as s:
        a = s.current_attempt()
        for i in range(rows):
            s.save_answer(a.id, i % 10 + 1, f"p{i}", "x" * 200, score=1.0, points=1.0, status="correct")


# -- crashes and concurrency -----------------------------------------------------------------------

KILLED_CHILD = """
    import sys, time
    from tutor.progress import ProgressStore
    store = ProgressStore.open(sys.argv[1])
    attempt = store.current_attempt()
    for i in range(100000):
        store.save_answer(attempt.id, 1 + i % 10, f"p{i}", {"typed": i}, score=1.0, points=1.0, status="correct")
        print(i, flush=True)  # only after save_answer returned
"""


def test_a_checked_answer_survives_sigkill(tmp_path):
    child = _python(KILLED_CHILD, str(tmp_path))
    saved = [int(child.stdout.readline()) for _ in range(30)]
    child.send_signal(signal.SIGKILL)
    child.wait(10)
    assert child.returncode == -signal.SIGKILL
    assert _integrity(tmp_path / "progress.sqlite3") == "ok"
    with ProgressStore.open(tmp_path) as s:
        records = s.answers(s.current_attempt().id)
        assert s.notices == []
    for i in saved:  # every answer reported saved is there, with what was typed
        assert records[(1 + i % 10, f"p{i}")].value == {"typed": i}


WRITER = """
    import sys, time
    from pathlib import Path
    from tutor.progress import ProgressStore
    folder, attempt_id, who = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    store = ProgressStore.open(folder)
    assert store.saving, store.notices
    Path(folder, f"ready-{who}").touch()
    while not all(Path(folder, f"ready-{k}").exists() for k in (1, 2)):  # start together
        time.sleep(0.0005)
    for i in range(200):
        store.save_answer(attempt_id, who, f"p{i}", str(i), score=0.5, points=1.0, status="partial")
        if i % 20 == 0:
            store.new_attempt()  # read-then-write: the next attempt number
        store.mark(attempt_id, who, f"p{i}", steps_shown=1)
    print("done", store.saving, store.notices, flush=True)  # saving still, nothing went wrong
    store.close()
"""


def test_two_sessions_answering_at_once_lose_nothing(tmp_path):
    with ProgressStore.open(tmp_path) as s:
        attempt = s.current_attempt()
    children = [_python(WRITER, str(tmp_path), str(attempt.id), str(who)) for who in (1, 2)]
    for child in children:
        out, err = child.communicate(timeout=120)
        assert (child.returncode, out.strip()) == (0, "done True []"), err
        assert "locked" not in err
    with ProgressStore.open(tmp_path) as s:
        records = s.answers(attempt.id)
        assert len(records) == 400
        assert all(r.steps_shown == 1 and r.score == 0.5 for r in records.values())
        assert s.question_scores(attempt.id) == {1: 100.0, 2: 100.0}
        numbers = [a.number for a in s.attempts()]
        assert numbers == list(range(1, 22))  # 1 + 2 x 10 new attempts, none numbered twice
    assert _integrity(tmp_path / "progress.sqlite3") == "ok"


OPENER = """
    import sys, time
    from pathlib import Path
    from tutor.progress import ProgressStore
    go = Path(sys.argv[1]).parent / "go"
    while not go.exists():
        time.sleep(0.001)
    store = ProgressStore.open(sys.argv[1])
    print(store.saving, store.current_attempt().id, store.notices, flush=True)
"""


def test_sessions_starting_together_on_a_new_folder_share_one_attempt(tmp_path):
    folder = tmp_path / "new"
    children = [_python(OPENER, str(folder)) for _ in range(4)]
    (tmp_path / "go").touch()
    lines = set()
    for child in children:
        out, err = child.communicate(timeout=60)
        assert child.returncode == 0, err
        lines.add(out.strip())
    assert len(lines) == 1
    assert lines.pop().startswith("True ") and "[]" in out


# -- files that are not (our) databases ------------------------------------------------------------


def _assert_moved_aside(store: ProgressStore, folder: Path, original: bytes | None) -> Path:
    assert store.saving
    aside = [p for p in folder.iterdir() if ".corrupt-" in p.name and not p.name.endswith(("-wal", "-shm"))]
    assert len(aside) == 1
    assert any(str(aside[0]) in n and "was not a readable database" in n for n in store.notices)
    if original is not None:
        assert aside[0].read_bytes() == original
    a = store.current_attempt()  # the fresh store works
    store.save_answer(a.id, 1, "a", "x", score=1.0, points=5.0, status="partial")
    assert store.question_scores(a.id) == {1: 1.0}
    return aside[0]


def test_garbage_is_moved_aside_with_its_stale_journal(tmp_path):
    path = tmp_path / "progress.sqlite3"
    garbage = os.urandom(8192)
    path.write_bytes(garbage)
    Path(f"{path}-wal").write_bytes(b"stale")
    with ProgressStore.open(tmp_path) as s:
        aside = _assert_moved_aside(s, tmp_path, garbage)
    assert Path(f"{aside}-wal").read_bytes() == b"stale"


@pytest.mark.parametrize("keep", [0.5, 0.1])
def test_a_truncated_database_is_moved_aside(tmp_path, keep):
    path = tmp_path / "progress.sqlite3"
    _real_database(path)
    data = path.read_bytes()
    assert len(data) > 20_000
    path.write_bytes(data[: int(len(data) * keep)])
    with ProgressStore.open(tmp_path) as s:
        _assert_moved_aside(s, tmp_path, data[: int(len(data) * keep)])


def test_another_programs_database_is_moved_aside(tmp_path):
    path = tmp_path / "progress.sqlite3"
    other = sqlite3.connect(path)
    other.execute("CREATE TABLE notes (body TEXT)")
    other.commit()
    other.close()
    original = path.read_bytes()
    with ProgressStore.open(tmp_path) as s:
        _assert_moved_aside(s, tmp_path, original)


def test_a_directory_in_place_of_the_file_is_moved_aside(tmp_path):
    (tmp_path / "progress.sqlite3").mkdir()
    (tmp_path / "progress.sqlite3" / "keep.txt").write_text("mine")
    with ProgressStore.open(tmp_path) as s:
        aside = _assert_moved_aside(s, tmp_path, None)
    assert (aside / "keep.txt").read_text() == "mine"


def test_moving_aside_never_overwrites(tmp_path, monkeypatch):
    monkeypatch.setattr(progress.opening, "stamp", lambda: "20250101-120000")
    earlier = tmp_path / "progress.sqlite3.corrupt-20250101-120000"
    earlier.write_bytes(b"earlier")
    (tmp_path / "progress.sqlite3").write_bytes(b"garbage" * 100)
    with ProgressStore.open(tmp_path) as s:
        assert any(str(earlier) + "-2" in n for n in s.notices)
    assert earlier.read_bytes() == b"earlier"
    assert (tmp_path / "progress.sqlite3.corrupt-20250101-120000-2").read_bytes() == b"garbage" * 100


def test_an_empty_file_is_a_new_store(tmp_path):
    (tmp_path / "progress.sqlite3").touch()
    with ProgressStore.open(tmp_path) as s:
        assert s.saving and s.notices == []
        assert s.current_attempt().number == 1


# -- folders that cannot be written, newer files --------------------------------------------------


@pytest.mark.parametrize("where", ["under-a-file", "proc"])
def test_an_unwritable_folder_falls_back_to_memory(tmp_path, where):
    (tmp_path / "afile").write_text("")
    folder = tmp_path / "afile" / "sub" if where == "under-a-file" else Path("/proc/itm528-tutor-test")
    with ProgressStore.open(folder) as s:
        assert (s.saving, s.path) == (False, None)
        assert len(s.notices) == 1 and s.notices[0].startswith(f"progress will not be saved: cannot create {folder}")
        a = s.current_attempt()
        s.save_answer(a.id, 1, "a", "x", score=1.0, points=5.0, status="partial")
        assert s.question_scores(a.id) == {1: 1.0}


def test_a_file_that_cannot_be_written_falls_back_to_memory_with_its_progress(tmp_path, monkeypatch):
    _real_database(tmp_path / "progress.sqlite3", rows=3)
    real_connect = progress.opening.connect

    def read_only(target, **kwargs):  # root ignores chmod, so make the connection itself read-only
        conn = real_connect(target, **kwargs)
        if str(target) == str(tmp_path / "progress.sqlite3"):
            conn.execute("PRAGMA query_only = ON")
        return conn

    monkeypatch.setattr(progress.opening, "connect", read_only)
    with ProgressStore.open(tmp_path) as s:
        assert not s.saving
        assert s.notices[-1].startswith(f"progress will not be saved: cannot write {tmp_path / 'progress.sqlite3'}")
        assert len(s.answers(s.current_attempt().id)) == 3  # what the file held is still shown


def test_a_file_that_stops_working_mid_session_says_not_saved_and_is_tried_again(tmp_path):
    with ProgressStore.open(tmp_path) as s:
        a = s.current_attempt()
        s.save_answer(a.id, 1, "a", "x", score=1.0, points=5.0, status="partial")
        s._conn.execute("PRAGMA query_only = ON")  # the next write fails as on a read-only disk
        with pytest.raises(NotSaved) as caught:
            s.save_answer(a.id, 2, "a", "y", score=2.0, points=14.0, status="partial")
        assert caught.value.reason == "read-only file" and str(caught.value) == "not saved: read-only file"
        assert s.saving and s.path == tmp_path / "progress.sqlite3"  # no quiet move to memory
        assert s.question_scores(a.id) == {1: 1.0}  # what failed is not shown as stored
        assert [u.describe() for u in s.unsaved()] == ["2(a) check"]
        saved = s.save_answer(a.id, 3, "a", "z", score=1.0, points=2.0, status="correct")  # opens the file afresh
        assert [u.describe() for u in saved.retried] == ["2(a) check"] and s.unsaved() == []
        assert s.question_scores(a.id) == {1: 1.0, 2: 2.0, 3: 1.0}
    with ProgressStore.open(tmp_path) as s:
        assert s.question_scores(a.id) == {1: 1.0, 2: 2.0, 3: 1.0}


def test_a_file_from_a_newer_version_is_refused_and_left_untouched(tmp_path):
    path = tmp_path / "progress.sqlite3"
    newer = sqlite3.connect(path)
    newer.execute("CREATE TABLE future (x)")
    newer.execute("PRAGMA user_version = 7")
    newer.commit()
    newer.close()
    os.chmod(path, 0o644)
    before, mode = path.read_bytes(), path.stat().st_mode
    with ProgressStore.open(tmp_path) as s:
        assert not s.saving
        assert s.notices == [
            f"progress file {path} was written by a newer itm528-tutor (schema 7 > {progress.schema_version()}); "
            "it was left untouched, and progress will not be saved"
        ]
        s.current_attempt()  # still usable, in memory
    assert path.read_bytes() == before and path.stat().st_mode == mode
    assert sorted(p.name for p in tmp_path.iterdir()) == ["progress.sqlite3"]
    with ProgressStore.open(tmp_path / "other") as s, pytest.raises(SchemaTooNew):
        s.restore(path)


# -- migrations ------------------------------------------------------------------------------------


def test_migration_keeps_a_verified_backup_that_restores(tmp_path, monkeypatch):
    path = tmp_path / "progress.sqlite3"
    now = progress.schema_version()
    with ProgressStore.open(tmp_path) as s:
        a = s.current_attempt()
        s.save_answer(a.id, 3, "a", "ReLU", score=2.0, points=2.0, status="correct")
    assert sorted(p.name for p in tmp_path.glob("*.bak")) == []  # a new file needs no backup

    def next_version(conn):
        conn.execute("ALTER TABLE answer ADD COLUMN note TEXT")

    monkeypatch.setattr(progress.migrations, "MIGRATIONS", [*progress.MIGRATIONS, next_version])
    with ProgressStore.open(tmp_path) as s:
        assert s.saving and s.notices == []
        backup = tmp_path / f"progress.sqlite3.v{now}.bak"
        check = sqlite3.connect(backup)
        assert check.execute("PRAGMA quick_check").fetchone()[0] == "ok"
        assert check.execute("PRAGMA user_version").fetchone()[0] == now
        check.close()
        assert stat.S_IMODE(backup.stat().st_mode) & 0o077 == 0
        s.reset()
        s.restore(backup)
        assert s.answers(a.id)[(3, "a")].value == "ReLU"
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == now + 1
    assert "note" in [row[1] for row in conn.execute("PRAGMA table_info(answer)")]
    conn.close()


def test_a_failing_migration_leaves_the_file_as_it_was(tmp_path, monkeypatch):
    path = tmp_path / "progress.sqlite3"
    _real_database(path, rows=2)

    def broken(conn):
        conn.execute("CREATE TABLE half_done (x)")
        raise RuntimeError("bug in a migration")

    monkeypatch.setattr(progress.migrations, "MIGRATIONS", [*progress.MIGRATIONS, broken])
    with pytest.raises(RuntimeError):
        ProgressStore.open(tmp_path)
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == progress.schema_version() - 1
    assert conn.execute("SELECT count(*) FROM sqlite_master WHERE name = 'half_done'").fetchone()[0] == 0
    conn.close()


# -- network filesystems, permissions --------------------------------------------------------------


def test_a_network_filesystem_uses_the_rollback_journal(tmp_path, monkeypatch):
    mounts = f"/dev/vda / ext4 rw 0 0\nserver:/home {tmp_path} nfs4 rw,relatime 0 0\n"
    monkeypatch.setattr(progress.opening, "read_mounts", lambda: mounts)
    with ProgressStore.open(tmp_path / "data") as s:
        assert s.journal_mode == "delete"
        assert s.notices == [
            "progress folder is on a network filesystem (nfs4): using the rollback journal instead of WAL"
        ]
        a = s.current_attempt()
        s.save_answer(a.id, 1, "a", "x", score=1.0, points=5.0, status="partial")
    assert not Path(f"{tmp_path}/data/progress.sqlite3-wal").exists()


def test_a_local_filesystem_uses_wal(tmp_path, monkeypatch):
    monkeypatch.setattr(progress.opening, "read_mounts", lambda: "/dev/vda / ext4 rw 0 0\nserver:/x /elsewhere nfs rw 0 0\n")
    with ProgressStore.open(tmp_path) as s:
        assert s.journal_mode == "wal" and s.notices == []


def test_filesystem_type_takes_the_longest_mount_point():
    mounts = (
        "/dev/vda / ext4 rw 0 0\n"
        "srv:/a /mnt/a nfs rw 0 0\n"
        "srv:/b /mnt/a\\040b fuse.sshfs rw 0 0\n"  # "/mnt/a b": spaces are escaped
        "tmpfs /mnt/ab tmpfs rw 0 0\n"
    )
    assert progress.filesystem_type(Path("/mnt/a/x/y"), mounts) == "nfs"
    assert progress.filesystem_type(Path("/mnt/a b/z"), mounts) == "fuse.sshfs"
    assert progress.filesystem_type(Path("/mnt/abc"), mounts) == "ext4"
    assert progress.filesystem_type(Path("/mnt/ab/c"), mounts) == "tmpfs"


def test_files_and_new_folder_are_owner_only(tmp_path):
    folder = tmp_path / "new" / "data"
    with ProgressStore.open(folder) as s:
        a = s.current_attempt()
        s.save_answer(a.id, 1, "a", "x", score=1.0, points=5.0, status="partial")
        files = [p for p in folder.iterdir()]
        assert {p.name for p in files} >= {"progress.sqlite3", "progress.sqlite3-wal", "progress.sqlite3-shm"}
        for p in [folder, *files]:
            assert stat.S_IMODE(p.stat().st_mode) & 0o077 == 0, p


def test_an_existing_readable_file_is_made_owner_only(tmp_path):
    path = tmp_path / "progress.sqlite3"
    _real_database(path, rows=1)
    os.chmod(path, 0o644)
    with ProgressStore.open(tmp_path):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_opening_never_waits_forever_for_a_stuck_lock(tmp_path, monkeypatch):
    import fcntl

    monkeypatch.setattr(progress.opening, "BUSY_TIMEOUT_S", 0.2)
    fd = os.open(tmp_path, os.O_RDONLY)
    fcntl.flock(fd, fcntl.LOCK_EX)  # another descriptor holds the folder's lock
    try:
        started = time.monotonic()
        with ProgressStore.open(tmp_path) as s:
            assert s.saving
        assert time.monotonic() - started < 5
    finally:
        os.close(fd)
