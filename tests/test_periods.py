from datetime import date

import pytest

from branchboard import periods as P


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("2023", "2023"),
        ("2023年", "2023"),
        ("2023年度", "2023"),
        (2023, "2023"),
        (2023.0, "2023"),
        ("２０２３", "2023"),
        ("2023上半年", "2023-H1"),
        ("2023年上半年", "2023-H1"),
        ("2023下半年", "2023-H2"),
        ("2023H1", "2023-H1"),
        ("2023-H2", "2023-H2"),
        ("2023Q3", "2023-Q3"),
        ("2023-q3", "2023-Q3"),
        ("2023年第三季度", "2023-Q3"),
        ("2023年3季度", "2023-Q3"),
        (" 2023年第四季度 ", "2023-Q4"),
    ],
)
def test_accepted_spellings(text, label):
    assert P.parse_period(text) == label


@pytest.mark.parametrize("text", ["", "23", "2023-13", "2023Q5", "二〇二三", "2023年第五季度", "abc", None, 2023.5, "1800"])
def test_rejected_spellings(text):
    assert P.parse_period(text) is None


def test_bounds_and_order():
    assert (P.period_start("2023-H2"), P.period_end("2023-H2")) == (date(2023, 7, 1), date(2023, 12, 31))
    assert (P.period_start("2023-Q1"), P.period_end("2023-Q1")) == (date(2023, 1, 1), date(2023, 3, 31))
    assert P.sort_periods(["2023-Q4", "2022", "2023", "2023-H1"]) == ["2022", "2023-H1", "2023", "2023-Q4"]
    assert P.display("2023-Q3") == "2023年第3季度" and P.display("2023") == "2023年度"
