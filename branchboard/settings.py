"""Committee settings (pass score, item pass ratio, target, tiers): validation and saving."""

from __future__ import annotations

from dataclasses import dataclass

from branchboard.db import Store, run


@dataclass(frozen=True)
class SettingsInput:
    pass_score: float
    item_pass_ratio: float
    compliance_target: float
    tiers: tuple[str, ...]
    tiers_en: tuple[str, ...] = ()  # the tiers' English names, in the same order; none: English mode shows the tiers


def parse_tiers(text: str) -> tuple[str, ...]:
    """Tier names from a comma-separated line (full-width commas and 、 accepted)."""
    for sep in ("，", "、", ";", "；"):
        text = text.replace(sep, ",")
    return tuple(x.strip() for x in text.split(",") if x.strip())


def validate(store: Store, new: SettingsInput) -> list[str]:
    """Message keys (i18n) of what is wrong; tiers in use by existing ratings cannot be removed."""
    problems: list[str] = []
    if not 0 <= new.pass_score <= 100:
        problems.append("settings.bad_pass_score")
    if not (0 < new.item_pass_ratio <= 1 and 0 < new.compliance_target <= 1):
        problems.append("settings.bad_ratio")
    if not 2 <= len(new.tiers) <= 6 or len(set(new.tiers)) != len(new.tiers) or any("," in x for x in new.tiers):
        problems.append("settings.bad_tiers")
    if new.tiers_en and (len(new.tiers_en) != len(new.tiers) or len(set(new.tiers_en)) != len(new.tiers_en)):
        problems.append("settings.bad_tiers_en")
    return problems


def tiers_in_use_but_missing(store: Store, tiers: tuple[str, ...]) -> list[str]:
    used = store.query("tiers__in_use")["tier"].tolist()
    return [x for x in used if x not in tiers]


def save(store: Store, new: SettingsInput) -> None:
    """Write all settings in one transaction; the data version bump refreshes every cached figure."""
    values = {
        "pass_score": f"{new.pass_score:g}",
        "item_pass_ratio": f"{new.item_pass_ratio:g}",
        "compliance_target": f"{new.compliance_target:g}",
        "tiers": ",".join(new.tiers),
        "tiers_en": ",".join(new.tiers_en),
    }
    with store.transaction() as cur:
        for key, value in values.items():
            run(cur, "settings__save", {"key": key, "value": value})


def session_secret(store: Store) -> bytes:
    """The key that signs viewers' passes: made once, at random, and kept in the database (settings), so passes
    survive a restart; set BRANCHBOARD_SESSION_SECRET to choose it instead."""
    import secrets

    found = store.settings().get("session_secret")
    if found:
        return found.encode()
    new = secrets.token_hex(32)
    with store.transaction() as cur:
        run(cur, "settings__add_session_secret", {"secret": new})
    return store.settings()["session_secret"].encode()
