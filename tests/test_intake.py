"""A file accepted into the data folder (``mvk ingest``, the inbox) is there whole or not at all: the
next run reads every file in a source's folder, and one cut short would be read as a file holding
fewer cells. indicators.intake.accept places it with indicators.atomic.place_whole."""

from __future__ import annotations

from pathlib import Path

import pytest

from indicators.intake import accept
from indicators.warehouse import LEDGER, files_in_arrival_order
from tests.conftest import PROJECT_ROOT

SHIPPED = sorted((PROJECT_ROOT / "data" / "sources" / "bra_lethal_violence").glob("*.csv"))[0]


def _crash_at_the_rename(monkeypatch) -> None:
    """The process dies once the copy is written and before it is renamed into place."""
    def crash(self, target):
        raise OSError("killed")
    monkeypatch.setattr(Path, "replace", crash)


@pytest.mark.parametrize("move", [False, True], ids=["copy", "move"])
def test_a_file_cut_short_is_never_read_and_the_next_accept_places_it_whole(tmp_path, monkeypatch, move):
    arriving = tmp_path / "inbox" / SHIPPED.name
    arriving.parent.mkdir()
    arriving.write_bytes(SHIPPED.read_bytes())
    folder = tmp_path / "data" / "sources" / "bra_lethal_violence"
    with monkeypatch.context() as patch:
        _crash_at_the_rename(patch)
        with pytest.raises(OSError, match="killed"):
            accept(arriving, folder, move=move)
    # what the crash left: the arriving file where it was, nothing a run would read, no ledger line
    assert arriving.read_bytes() == SHIPPED.read_bytes()
    assert files_in_arrival_order(folder, {".csv"}) == []
    assert [p.name for p in folder.iterdir()] == [f".{SHIPPED.name}.partial"]

    target, new = accept(arriving, folder, move=move)
    assert new and target == folder / SHIPPED.name and target.read_bytes() == SHIPPED.read_bytes()
    assert sorted(p.name for p in folder.iterdir()) == sorted([SHIPPED.name, LEDGER])
    assert files_in_arrival_order(folder, {".csv"}) == [target]
    assert arriving.exists() is not move
