"""The ``map`` command (geoconflict.cli.map), run through the command's parser."""

import re

import pandas as pd
import pytest

from geoconflict.cli import build_parser

from conftest import REPO


def run(argv: list[str]) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)


def test_map_from_the_example_article(tmp_path, capsys, gazetteer):
    out = tmp_path / "claim.html"
    article = REPO / "examples" / "nakhchivan_claim.txt"
    assert (
        run(["map", str(article), "--date", "2020-10-16", "--zone", "Nagorno-Karabakh", "-o", str(out), "--offline"])
        == 0
    )
    err = capsys.readouterr().err
    assert re.search(r"\d+ incidents mapped; [1-9]\d* outside", err), err
    page = out.read_text(encoding="utf-8")
    assert "Ordubad" in page or "Orduba" in page
    assert not re.search(r"<script[^>]+src=", page)  # offline: everything inline


def test_map_from_a_table_with_dates_and_no_tiles(tmp_path, capsys):
    table = tmp_path / "events.csv"
    pd.DataFrame(
        {
            "event_date": ["2020-09-27", "2020-10-15", "2021-01-05"],
            "event_type": ["Battles", "Explosions/Remote violence", "Protests"],
            "location": ["Martuni", "Ordubad", "Yerevan"],
            "latitude": [39.79, 38.91, 40.18],
            "longitude": [47.06, 46.02, 44.51],
            "notes": ["a", "<script>alert(1)</script>", "c"],
        }
    ).to_csv(table, index=False)
    out = tmp_path / "sub" / "events.html"
    assert (
        run(["map", str(table), "--since", "2020-09-01", "--until", "2020-12-31", "--tiles", "none", "-o", str(out)])
        == 0
    )
    err = capsys.readouterr().err
    assert "1 of 3 incidents outside the dates asked for are left out" in err
    assert "2 incidents mapped" in err
    page = out.read_text(encoding="utf-8")
    assert "L.tileLayer(" not in page and "<script>alert(1)" not in page


def test_map_of_a_missing_file_is_an_error(tmp_path):
    with pytest.raises(FileNotFoundError):
        run(["map", str(tmp_path / "nope.csv"), "-o", str(tmp_path / "x.html")])
