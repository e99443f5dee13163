"""Shared by every test: progress goes to a temporary folder, never the real home directory."""

import pytest


@pytest.fixture(autouse=True)
def data_dir(tmp_path, monkeypatch):
    """ITM528_TUTOR_DATA_DIR points at tmp_path/data, so no test touches the real progress."""
    folder = tmp_path / "data"
    monkeypatch.setenv("ITM528_TUTOR_DATA_DIR", str(folder))
    return folder
