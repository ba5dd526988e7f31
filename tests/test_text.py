"""planner.text: one folding, one numbering, one date parsing for every layer."""

from __future__ import annotations

from planner.text.fold import fold, fold_same_length, fold_start

LOOK_ALIKE = "SỞ GIÁO DỤC VÀ \u00d0ÀO TẠO – Quý IV — năm 2021"


# ---------------------------------------------------------------- folding


def test_fold_maps_look_alike_eth_and_dashes() -> None:
    assert fold(LOOK_ALIKE) == "so giao duc va dao tao - quy iv - nam 2021"
    assert fold("… VÀ \u00d0ÀO TẠO – Quý IV") == "... va dao tao - quy iv"


def test_fold_same_length_keeps_offsets_and_folds_like_fold() -> None:
    folded = fold_same_length(LOOK_ALIKE)
    assert len(folded) == len(LOOK_ALIKE)
    assert folded == "so giao duc va dao tao - quy iv - nam 2021"
    assert fold_same_length("từ 01/9\u201330/9") == "tu 01/9-30/9"
    assert fold_same_length("ĐÐ\u2014x") == "dd-x"


def test_fold_same_length_keeps_what_fold_would_drop_or_widen() -> None:
    text = "“Đoàn”\tthể … ß"
    folded = fold_same_length(text)
    assert len(folded) == len(text)
    assert folded == "“doan” the … ß"


def test_fold_start_folds_only_the_opening() -> None:
    line = "\u00d0ỘC LẬP – TỰ DO – HẠNH PHÚC " + "x" * 500
    assert fold_start(line) == fold(line[:60])
    assert fold_start(line).startswith("doc lap - tu do - hanh phuc")
    assert fold_start("Kế hoạch — năm 2021", 8) == "ke hoach"
    assert fold_start("\u00d0ẢNG BỘ –", 20) == "dang bo -"
