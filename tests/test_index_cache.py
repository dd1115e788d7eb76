"""The on-disk index: built once, reused, rebuilt when missing, stale, truncated or corrupt."""

import json
import logging

import pytest

from geoconflict.gazetteer import Gazetteer
from geoconflict.gazetteer._records import PRIMARY, PlaceRecord
from geoconflict.gazetteer._store import IndexFiles, IndexUnusable
from geoconflict.gazetteer.core import open_index


def _tiny():
    calls = []

    def builder():
        calls.append(1)
        a = PlaceRecord("Ordubad", "town", "AZ", 38.9096, 46.0227, 10800, source_id="147622")
        a.add_name("Ordubad", PRIMARY)
        a.add_name("Ordubat")
        b = PlaceRecord("Armavir", "town", "AM", 40.1555, 44.0388, 29000, source_id="828")
        b.add_name("Armavir", PRIMARY)
        c = PlaceRecord("Armavir", "town", "RU", 44.9892, 41.1234, 190000, source_id="829")
        c.add_name("Armavir", PRIMARY)
        return [a, b, c], []

    return builder, calls


@pytest.fixture
def tiny_index(tmp_path):
    builder, calls = _tiny()
    ix = open_index(root=tmp_path, builder=builder)
    return tmp_path, builder, calls, ix


def test_index_is_built_once_and_reused(tiny_index):
    root, builder, calls, ix = tiny_index
    assert calls == [1]
    again = open_index(root=root, builder=builder)
    assert calls == [1]
    assert again.directory == ix.directory
    assert Gazetteer(again).resolve("Ordubat").name == "Ordubad"


@pytest.mark.parametrize("victim", ["exact_place.npy", "exact.marisa", "name.bin", "lat.npy"])
def test_truncated_file_triggers_rebuild(tiny_index, victim, caplog):
    root, builder, calls, ix = tiny_index
    path = ix.directory / victim
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    with pytest.raises(IndexUnusable, match="truncated"):
        IndexFiles(ix.directory)
    with caplog.at_level(logging.WARNING):
        fresh = open_index(root=root, builder=builder)
    assert calls == [1, 1]
    assert "unusable" in caplog.text
    m = Gazetteer(fresh).resolve("Armavir", country="AM")
    assert (m.country_code, m.latitude) == ("AM", pytest.approx(40.1555))


def test_garbage_of_the_right_size_is_caught_by_consistency_checks(tiny_index):
    root, builder, calls, ix = tiny_index
    path = ix.directory / "exact_ptr.npy"
    path.write_bytes(b"\x00" * path.stat().st_size)
    with pytest.raises(IndexUnusable):
        IndexFiles(ix.directory)
    fresh = open_index(root=root, builder=builder)
    assert calls == [1, 1]
    assert Gazetteer(fresh).resolve("Ordubad") is not None


def test_edited_manifest_is_rejected(tiny_index):
    root, builder, calls, ix = tiny_index
    manifest = ix.directory / "manifest.json"
    data = json.loads(manifest.read_text())
    data["places"] = 999
    manifest.write_text(json.dumps(data))
    with pytest.raises(IndexUnusable, match="checksum"):
        IndexFiles(ix.directory)


def test_missing_manifest_means_no_index(tiny_index):
    root, builder, calls, ix = tiny_index
    (ix.directory / "manifest.json").unlink()
    open_index(root=root, builder=builder)
    assert calls == [1, 1]


def test_stale_index_is_not_read(tiny_index):
    root, builder, calls, ix = tiny_index
    fp = json.loads((ix.directory / "manifest.json").read_text())["fingerprint"]
    fp["code"] += 1
    with pytest.raises(IndexUnusable, match="stale"):
        IndexFiles(ix.directory, fp)


def test_same_size_corruption_is_caught_by_the_checksum_and_rebuilt(tiny_index):
    root, builder, calls, ix = tiny_index
    path = ix.directory / "lat.npy"
    data = bytearray(path.read_bytes())
    data[-8 * 3 :] = bytes(8 * 3)  # every latitude 0.0, same size, header intact
    path.write_bytes(bytes(data))
    with pytest.raises(IndexUnusable, match="corrupt"):
        IndexFiles(ix.directory)
    fresh = open_index(root=root, builder=builder)
    assert calls == [1, 1]
    assert Gazetteer(fresh).resolve("Ordubad").latitude == pytest.approx(38.9096)


def test_sampled_checksum_of_a_large_file_sees_a_zeroed_region(tmp_path):
    import os

    from geoconflict.gazetteer._store import file_checksum

    path = tmp_path / "big.npy"
    path.write_bytes(os.urandom(6 << 20))
    before = file_checksum(path)
    with open(path, "r+b") as fh:
        fh.seek(2 << 20)
        fh.write(bytes(1 << 20))
    assert file_checksum(path) != before
    assert file_checksum(path, whole=True) != before


def test_rebuild_swaps_in_a_new_folder_and_a_running_reader_keeps_its_files(tiny_index):
    root, builder, calls, ix = tiny_index
    reader = Gazetteer(ix)
    fresh = open_index(root=root, builder=builder, rebuild=True)
    assert calls == [1, 1]
    assert fresh.directory != ix.directory
    assert ix.directory.exists()  # the old build stays for its readers
    # arrays the old reader had not mapped yet still come from its own build
    m = reader.resolve("Armavir", country="AM")
    assert (m.country_code, m.population) == ("AM", 29000)
    link = next(p for p in (root / "gazetteer").iterdir() if p.is_symlink())
    assert link.resolve() == fresh.directory


def test_old_builds_are_removed_beyond_the_two_most_recent(tiny_index):
    root, builder, calls, ix = tiny_index
    for _ in range(4):
        open_index(root=root, builder=builder, rebuild=True)
    builds = [p for p in (root / "gazetteer").iterdir() if ".build-" in p.name]
    assert len(builds) == 3  # the live one and two superseded
