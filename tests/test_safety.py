"""A data folder or progress file that is not the user's alone is refused (tutor.safety), and the
store then keeps progress in memory with a notice that says why; what the user owns still works."""

from __future__ import annotations

import os
import sqlite3
import stat

import pytest

from tutor import safety
from tutor.progress import ProgressStore

AS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0
OTHER_UID = 54321  # no such user here: owned by "uid 54321"
pytestmark = pytest.mark.skipif(not safety.CHECKED, reason="no POSIX owners and modes on this platform")


def refused(folder) -> str:
    """The one notice of a store opened on `folder`, which must not be saving."""
    with ProgressStore.open(folder) as store:
        assert (store.saving, store.path) == (False, None)
        assert len(store.notices) == 1, store.notices
        a = store.current_attempt()  # still usable: in memory
        store.save_answer(a.id, 1, "a", "x", score=1.0, points=5.0, status="partial")
        assert store.question_scores(a.id) == {1: 1.0}
        return store.notices[0]


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.mark.parametrize(("bits", "who"), [(0o777, "its group and others"), (0o707, "others"), (0o770, "its group")])
def test_a_folder_others_can_write_is_refused(tmp_path, bits, who):
    folder = tmp_path / "shared"
    folder.mkdir()
    os.chmod(folder, bits)
    notice = refused(folder)
    assert notice == (
        f"progress will not be saved: progress folder {folder} can be written by {who} (mode {bits:04o}): "
        f"they could swap your answers; make it yours alone (chmod 700 {folder}) or use another folder"
    )
    assert list(folder.iterdir()) == [] and mode(folder) == bits  # nothing made, nothing changed


@pytest.mark.skipif(not AS_ROOT, reason="only root can make a folder owned by another user")
def test_a_folder_of_another_user_is_refused(tmp_path):
    folder = tmp_path / "theirs"
    folder.mkdir(mode=0o700)
    os.chown(folder, OTHER_UID, OTHER_UID)
    notice = refused(folder)
    assert notice.startswith(f"progress will not be saved: progress folder {folder} belongs to uid {OTHER_UID}, not to you")
    assert list(folder.iterdir()) == []


@pytest.mark.skipif(not AS_ROOT, reason="only root can make a file owned by another user")
def test_a_progress_file_of_another_user_is_refused_and_left_alone(tmp_path):
    path = tmp_path / "progress.sqlite3"
    sqlite3.connect(path).close()
    os.chown(path, OTHER_UID, OTHER_UID)
    os.chmod(path, 0o600)
    assert refused(tmp_path).startswith(f"progress will not be saved: progress file {path} belongs to uid {OTHER_UID}")
    assert os.stat(path).st_uid == OTHER_UID and sorted(p.name for p in tmp_path.iterdir()) == ["progress.sqlite3"]


@pytest.mark.parametrize("side", ["", "-wal", "-shm", "-journal"])
def test_a_progress_file_others_can_write_is_refused(tmp_path, side):
    with ProgressStore.open(tmp_path) as store:
        store.current_attempt()
    name = tmp_path / f"progress.sqlite3{side}"
    name.touch()
    os.chmod(name, 0o666)
    assert refused(tmp_path) == (
        f"progress will not be saved: progress file {name} can be written by its group and others (mode 0666): "
        f"they could swap your answers; make it yours alone (chmod 600 {name}) or use another folder"
    )
    assert mode(name) == 0o666


def test_a_folder_inside_one_anyone_can_write_is_refused_before_anything_is_made(tmp_path):
    open_to_all = tmp_path / "open"
    open_to_all.mkdir()
    os.chmod(open_to_all, 0o777)
    notice = refused(open_to_all / "mine" / "data")
    assert notice == (
        f"progress will not be saved: progress folder {open_to_all / 'mine' / 'data'} is inside {open_to_all}, "
        "which anyone can write (mode 0777, no sticky bit): anyone could swap the folder; "
        "use a folder of your own (--data-dir DIR)"
    )
    assert list(open_to_all.iterdir()) == []


def test_a_sticky_folder_like_tmp_above_is_fine(tmp_path):
    sticky = tmp_path / "tmp"
    sticky.mkdir()
    os.chmod(sticky, 0o1777)
    with ProgressStore.open(sticky / "mine") as store:
        assert store.saving and store.notices == []
    assert mode(sticky / "mine") == 0o700


@pytest.mark.skipif(not AS_ROOT, reason="only root can make a link owned by another user")
def test_a_link_of_another_user_on_the_way_is_refused(tmp_path):
    mine = tmp_path / "mine"
    mine.mkdir(mode=0o700)
    link = tmp_path / "link"
    link.symlink_to(mine)
    os.lchown(link, OTHER_UID, OTHER_UID)
    assert refused(link / "data").startswith(
        f"progress will not be saved: progress folder {link / 'data'} goes through the link {link}, "
        f"which belongs to uid {OTHER_UID}"
    )
    assert list(mine.iterdir()) == []


def test_a_link_of_ones_own_to_ones_own_folder_works(tmp_path):
    (tmp_path / "real").mkdir(mode=0o700)
    (tmp_path / "link").symlink_to(tmp_path / "real")
    with ProgressStore.open(tmp_path / "link") as store:
        assert store.saving and store.notices == []
    assert (tmp_path / "real" / "progress.sqlite3").is_file()


def test_a_shared_home_of_ones_own_still_works(tmp_path):
    """--data-dir on a home others may read (0755, as many are) but not write: used, files 0600."""
    home = tmp_path / "home"
    home.mkdir()
    os.chmod(home, 0o755)
    with ProgressStore.open(home / "tutor") as store:
        assert store.saving and store.notices == []
        a = store.current_attempt()
        store.save_answer(a.id, 1, "a", "x", score=1.0, points=5.0, status="partial")
    assert mode(home) == 0o755  # not ours to change
    assert mode(home / "tutor") == 0o700
    for file in (home / "tutor").iterdir():
        assert mode(file) == 0o600, file


def test_missing_parents_are_made_owner_only_too(tmp_path):
    with ProgressStore.open(tmp_path / "a" / "b" / "c") as store:
        assert store.saving
    for folder in (tmp_path / "a", tmp_path / "a" / "b", tmp_path / "a" / "b" / "c"):
        assert mode(folder) == 0o700, folder


def test_a_readable_folder_of_ones_own_is_used_and_its_mode_kept(tmp_path):
    folder = tmp_path / "mine"
    folder.mkdir()
    os.chmod(folder, 0o750)
    with ProgressStore.open(folder) as store:
        assert store.saving and store.notices == []
    assert mode(folder) == 0o750 and mode(folder / "progress.sqlite3") == 0o600


def test_a_data_folder_that_is_a_file_cannot_be_created(tmp_path):
    (tmp_path / "afile").write_text("")
    with ProgressStore.open(tmp_path / "afile") as store:
        assert store.notices == [f"progress will not be saved: cannot create {tmp_path / 'afile'}: it is not a folder"]
