"""The string catalog: every key used in the code exists, in both languages, with the same placeholders."""

from __future__ import annotations

import re
import string

import pandas as pd

from branchboard.i18n import CATALOG, label_columns, t
from conftest import REPO

KEY_USE = re.compile(r"""\bt\(\s*["']([a-z_]+(?:\.[a-z0-9_]+)+)["']""")


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_entry_has_both_languages_with_the_same_placeholders():
    for key, entry in CATALOG.items():
        assert entry.get("zh") and entry.get("en"), key
        assert placeholders(entry["zh"]) == placeholders(entry["en"]), key


def test_every_literal_key_in_the_code_exists():
    used = set()
    for path in [*REPO.glob("pages/*.py"), *REPO.glob("branchboard/**/*.py"), REPO / "app.py"]:
        used |= set(KEY_USE.findall(path.read_text(encoding="utf-8")))
    missing = sorted(k for k in used if k not in CATALOG)
    assert not missing, missing
    assert len(used) > 100


def test_every_entry_is_used():
    # An entry no code reaches is a string a translator keeps up for nothing, and a sign of a screen that changed.
    # Used: its key is in the code; or it is an import message whose code the code raises ("same_file"), or an
    # exported column's header whose column a query returns; or a prefix of it is the fixed part of a key the code
    # builds (f"page.{key}", "share.view_" + outcome).
    code = ""
    for path in [*REPO.glob("pages/*.py"), *REPO.glob("branchboard/**/*.py"), REPO / "app.py", *REPO.glob("branchboard/**/*.j2")]:
        text = path.read_text(encoding="utf-8")
        code += text[text.index("\ndef ") :] if path.name == "i18n.py" else text
    sql = " ".join(p.read_text(encoding="utf-8") for p in REPO.glob("queries/*.sql"))

    def used(key: str) -> bool:
        if f'"{key}"' in code or f"'{key}'" in code:
            return True
        last = key.rsplit(".", 1)[-1]
        if key.startswith(("import.error.", "import.warning.", "import.skipped.")):
            return bool(re.search(rf"""["']{last.removesuffix("_nohint")}["']""", code))
        if key.startswith("col."):
            return bool(re.search(rf"\b{last}\b", sql + code))
        prefixes = [key[: m.start() + 1] for m in re.finditer(r"[._]", key)]
        return any(f'"{p}{{' in code or f"'{p}{{" in code or f'"{p}"' in code for p in prefixes)

    assert [key for key in CATALOG if not used(key)] == []


# English entries that quote what users type or find in their Chinese files.
QUOTES_CHINESE_INPUT = {
    "import.error.not_date",
    "import.error.bad_period",
    "import.error.bad_bool",
    "import.error.no_header",
    "import.error.no_item_columns",
    "import.warning.total_rows",
}


def test_english_screens_are_english():
    for key, entry in CATALOG.items():
        if key not in QUOTES_CHINESE_INPUT:
            assert not re.search(r"[\u4e00-\u9fff]", entry["en"]), f"{key}: {entry['en']}"


def test_exported_columns_get_the_committees_words():
    frame = pd.DataFrame({"period": ["2024"], "compliance_rate": [0.8], "unknown_col": [1]})
    assert list(label_columns(frame, "zh").columns) == ["期次", "达标率", "unknown_col"]
    assert list(label_columns(frame, "en").columns) == ["Period", "Compliance rate", "unknown_col"]
    assert t("common.target", "en", value="70%") == "Target 70%"


def test_hours_are_shown_exactly_as_stored():
    from branchboard.i18n import fmt_hours

    assert fmt_hours(55878.5) == "55,878.5" and fmt_hours(1234.0) == "1,234" and fmt_hours(0.25) == "0.25"
    assert fmt_hours(0.1 + 0.2) == "0.3"  # float noise from a sum never shows
    assert fmt_hours(-0.0) == "0" and fmt_hours(None) == "—" and fmt_hours(float("nan")) == "—"
    assert fmt_hours(3331.5, signed=True) == "+3,331.5" and fmt_hours(-12.5, signed=True) == "-12.5"


def test_changes_read_as_the_committee_says_them():
    from decimal import Decimal

    from branchboard.i18n import change_is_zero, fmt_change

    assert fmt_change(0.0234, "zh", unit="pp") == "+2.3 个百分点"
    assert fmt_change(-0.0234, "en", unit="pp") == "-2.3 pp"
    # zero at the precision shown is 持平, whatever float noise is left: never a +0.0 with an arrow
    assert fmt_change(0.81 - 0.8100000000000001, "zh", unit="pp") == "持平"
    assert fmt_change(0.0004, "en", unit="pp") == "no change" and change_is_zero(0.0004, unit="pp")
    assert fmt_change(Decimal("1234.50"), "zh", unit="hours") == "+1,234.5"
    assert fmt_change(0.001, "zh", unit="hours") == "持平"
    assert fmt_change(-2, "zh", digits=0) == "-2" and fmt_change(3, "zh", digits=0) == "+3"
    assert fmt_change(None, "zh") is None and fmt_change(float("nan"), "zh") is None


def test_a_branch_label_takes_the_readers_brackets():
    from branchboard.i18n import with_code

    assert with_code("市税务局第一党支部", "SW001", "zh") == "市税务局第一党支部（SW001）"
    assert with_code("市税务局第一党支部", "SW001", "en") == "市税务局第一党支部 (SW001)"
    assert with_code("市税务局第一党支部", "SW001", "zh", two_lines=True) == "市税务局第一党支部\n（SW001）"
