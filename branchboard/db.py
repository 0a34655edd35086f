"""The DuckDB store: where the file is, its schema, and the one way to run a named query.

One `duckdb` connection per database file and process; each thread works on its own cursor of it
(DuckDB connections are not shared across threads). Query results are cached on
(database, query name, parameters, data version); every write bumps the data version, so a cached
result is never served after the data changed. A write that names the tables it changes (a saved view, an
import of volunteer records) moves only the version of the queries that read one of them: the others keep
their results (the tables a query reads are found in its text and in the views and macros it names).
"""

from __future__ import annotations

import itertools
import os
import re
import threading
from collections.abc import Callable, Collection, Hashable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, TypeVar, cast

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from branchboard.fingerprint import vouch
from branchboard.lru import LRU

ROOT = Path(__file__).resolve().parent.parent
QUERIES_DIR = ROOT / "queries"
DEFAULT_DB = ROOT / "data" / "branchboard.duckdb"
_PACKAGE_DIR = Path(__file__).resolve().parent

_CACHE_MAX_ENTRIES = 768
_PARAM_RE = re.compile(r"\$([a-z_][a-z0-9_]*)")


def resolve_db_path(db: str | os.PathLike[str] | None = None) -> Path:
    """`--db`, else the BRANCHBOARD_DB environment variable, else data/branchboard.duckdb."""
    if db:
        return Path(db).expanduser().resolve()
    env = os.environ.get("BRANCHBOARD_DB")
    if env:
        return Path(env).expanduser().resolve()
    return DEFAULT_DB


@dataclass(frozen=True)
class _Versions:
    """The data versions of one database file in this process: the last write's (`current`), the last write that
    may have changed any table (`floor`), and for the writes since that named the tables they change, each
    table's last. Replaced whole on every write, so a reader never sees one half-updated."""

    current: int
    floor: int
    tables: Mapping[str, int] = field(default_factory=dict)

    def of(self, reads: frozenset[str]) -> int:
        """The version of a query reading `reads`: that of the last write that may have changed one of them."""
        return max([self.floor, *(self.tables.get(t, 0) for t in reads)])

    def after(self, version: int, changed: Collection[str] | None) -> _Versions:
        if changed is None:
            return _Versions(version, version)
        return _Versions(version, self.floor, {**self.tables, **dict.fromkeys(changed, version)})


# The data versions of every database this process has open, by file (see Store.__init__).
_versions: dict[object, _Versions] = {}
_versions_lock = threading.Lock()
_store_ids = itertools.count()  # Store identities: part of the origin of every cached result (fingerprint.vouch)
T = TypeVar("T")


class Store:
    """One database file: connection, migrations, named queries with a result cache."""

    def __init__(self, path: str | os.PathLike[str] | None = None) -> None:
        in_memory = str(path) == ":memory:"
        self.path = Path(":memory:") if in_memory else resolve_db_path(path)
        if not in_memory:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        self._conn = duckdb.connect(str(self.path))
        self._local = threading.local()
        self._write_lock = threading.RLock()
        self._cache: LRU[Any] = LRU(_CACHE_MAX_ENTRIES)  # query results, and values computed from them
        self._identity = next(_store_ids)  # one Store's (query, parameters, version) names one result
        self._settings: tuple[int, dict[str, str]] | None = None
        migrate(self._conn)
        # This process is the file's only writer (DuckDB locks the file), and every write goes through
        # transaction(), so the version is kept in memory instead of read before every cached query. It is kept
        # per file, not per Store, so two Stores on one file in this process still see each other's writes.
        self._version_key: object = self if in_memory else self.path
        stored = int(self._conn.execute("select value from meta where key = 'data_version'").fetchall()[0][0])
        with _versions_lock:
            known = _versions.get(self._version_key)
            if known is None or known.current < stored:
                _versions[self._version_key] = _Versions(stored, stored)
        self._catalog = _catalog(self._conn)
        self._reads: dict[str, frozenset[str]] = {}

    # -- connections ---------------------------------------------------------------------------
    def cursor(self) -> duckdb.DuckDBPyConnection:
        """This thread's cursor on the shared connection."""
        cur = getattr(self._local, "cursor", None)
        if cur is None:
            cur = self._conn.cursor()
            self._local.cursor = cur
        return cur

    def close(self) -> None:
        self._conn.close()

    @contextmanager
    def transaction(
        self, changes: Collection[str] | None = None, set_aside: Collection[SetAside] = ()
    ) -> Iterator[duckdb.DuckDBPyConnection]:
        """All or nothing: commit on success, roll back on any error; bumps the data version.

        `changes` names the tables the write may change, when the writer knows them (a saved view, an import of
        one kind of facts; tests check each such write against what it really changed): only the queries that
        read one of them, or a pre-aggregate built from one, see a new version. None: any table may change.
        `set_aside`: records read ahead for the refresh of the pre-aggregates (set_aside_ahead); used only if
        nothing has written their source since."""
        if changes is not None:
            if isinstance(changes, str):  # a string is a collection too: of letters
                raise TypeError("changes: a collection of table names, not one string")
            unknown = sorted(t for t in changes if self._catalog.get(t, "") is not None)
            if unknown:
                raise ValueError(f"changes: not tables of this database: {', '.join(unknown)}")
        with self._write_lock:
            cur = self.cursor()
            cur.execute("begin transaction")
            try:
                yield cur
                # The write lock is held, so no write can come between this check and the refresh.
                ahead = [a for a in set_aside if a.version == (self._version_key, self.version_of([a.source]))]
                refreshed = refresh_derived(cur, set_aside=ahead)  # pre-aggregates change with the facts, in the same transaction
                changed = None
                if changes is not None:
                    derived = (d.name for d in derived_tables() if d.source in changes)
                    changed = {*changes, *refreshed, *derived, "meta", "derived_state"}
                # Never below a version this process has handed out (a file restored under it holds a lower one).
                bump = "update meta set value = greatest(value, $seen) + 1 where key = 'data_version' returning value"
                version = int(cur.execute(bump, {"seen": self.data_version()}).fetchall()[0][0])
                cur.execute("commit")
            except BaseException:
                cur.execute("rollback")
                raise
            with _versions_lock:
                _versions[self._version_key] = _versions[self._version_key].after(version, changed)
            if changed is None:  # a write that may have changed anything may have made views or macros too
                self._catalog, self._reads = _catalog(cur), {}

    def set_aside_ahead(self, source: str, frame: pd.DataFrame) -> tuple[SetAside, ...]:
        """For each pre-aggregate built from `source`, the stored records its keyed refresh would set aside for the
        keys of `frame` (rows about to be added to `source`), read now, before the write: an import reads them while
        its checks keep one core busy, so its commit does not (issue 17). Left out when there would be more of them
        than a quarter of the frame's rows (or AHEAD_AT_LEAST), and when the source holds no rows at all: the write
        then sets them aside itself."""
        found = []
        for d in derived_tables():
            if d.source != source:
                continue
            # Before the snapshot is taken: a write committing after this changes the version, and the records are
            # not used.
            version = (self._version_key, self.version_of([source]))
            cur = self._conn.cursor()  # this thread's own, closed below: it may be a worker of an import's pool
            try:
                cur.execute("begin transaction")  # the fingerprint and the records of one snapshot
                if not cur.execute(f"select exists (select 1 from {source})").fetchall()[0][0]:
                    continue  # nothing stored to set aside (the write finds that as fast); `finally` closes
                fingerprint = str(cur.execute(d.fingerprint).fetchall()[0][0])
                described = cur.execute(f"describe select {', '.join(d.keys)} from {source}").fetchall()
                # Cast as the insert casts them, so that their hashes are those of the keys the write will mark. The
                # distinct hashes, not the distinct keys: one integer to compare, a third less time.
                cast_keys = ", ".join(f'cast("{name}" as {type_})' for name, type_, *_ in described)
                keys = ", ".join(d.keys)
                cur.register("incoming_keys", pa.Table.from_pandas(frame[list(d.keys)], preserve_index=False))
                cur.execute(f"create temp table ahead_keys as select distinct hash({cast_keys}) as h from incoming_keys")
                count, digest = cur.execute("select count(*), sum(h) from ahead_keys").fetchall()[0]
                most = max(len(frame) // 4, AHEAD_AT_LEAST)
                # With their batch ids: a record stored by hand under the id the import will get is its batch's.
                columns = dict.fromkeys([*_columns_read(cur, d), "batch_id"])
                records = cur.sql(
                    f"select {', '.join(columns)} from {source} where hash({keys}) in (select h from ahead_keys) limit $most + 1",
                    params={"most": most},
                ).to_arrow_table()
                cur.execute("rollback")
            finally:
                cur.close()
            if records.num_rows <= most:
                found.append(SetAside(d.name, source, version, fingerprint, (int(count), int(digest or 0)), records))
        return tuple(found)

    def append_log(self, name: str, params: Mapping[str, Any]) -> None:
        """One row into a log table (who opened a link, when) by the named insert: committed at once, without
        bumping the data version, so a link opened in a meeting does not empty every session's query cache.
        Never for facts or settings."""
        with self._write_lock:
            run(self.cursor(), name, params)

    # -- reading -------------------------------------------------------------------------------
    def data_version(self) -> int:
        """The version of the last write (of any table)."""
        return _versions[self._version_key].current

    def reads(self, name: str) -> frozenset[str]:
        """The tables queries/<name>.sql reads: the names in its text that are tables, and those of the views and
        macros it names, theirs. A name that is also a column's only makes the set larger, which is safe."""
        found = self._reads.get(name)
        if found is None:
            found = self._reads[name] = self.tables_read(load_query(name)[0])
        return found

    def tables_read(self, sql: str) -> frozenset[str]:
        """The tables `sql` reads (see reads)."""
        return _tables_read(sql, self._catalog)

    def version_of(self, tables: Collection[str]) -> int:
        """The version of the last write that may have changed one of `tables`."""
        return _versions[self._version_key].of(frozenset(tables))

    def query_version(self, name: str) -> int:
        """The data version of queries/<name>.sql: that of the last write that may have changed what it reads."""
        return _versions[self._version_key].of(self.reads(name))

    def query(self, name: str, params: Mapping[str, Any] | None = None, *, fresh: bool = False) -> pd.DataFrame:
        """Run queries/<name>.sql with named parameters; results cached per data version of what it reads.

        Only the parameters the query declares are bound, so a page can pass its whole filter state.
        The returned frame is shared with the cache: treat it as read-only (copy before changing).
        `fresh` reads past the cache, for tables written through append_log (which does not bump the version).
        """
        sql, declared = load_query(name)
        if is_write(sql):
            raise ValueError(f"{name} writes: run it with db.run inside store.transaction()")
        bound = {k: _freeze(params.get(k)) if params else None for k in declared}

        def fetch() -> pd.DataFrame:
            return self.cursor().execute(sql, {k: _thaw(v) for k, v in bound.items()}).df()

        if fresh:
            return fetch()
        version = self.query_version(name)
        key = (name, tuple(sorted(bound.items())), version)

        def run_it() -> tuple[pd.DataFrame, bool]:
            frame = fetch()
            # A write to what it reads committed meanwhile: either version's rows, not kept.
            kept = self.query_version(name) == version
            if kept:
                vouch(frame, (self._identity, key))  # figures and tables built from it are keyed on this, not its cells
            return frame, kept

        return self._cache.work_out(key, run_it)

    def computed(self, name: str, key: Hashable, compute: Callable[[], T]) -> T:
        """A value worked out from query results (a summary, a pair of periods), cached beside them for the same
        data version: `key` holds everything `compute` reads besides the database. Shared like a query result:
        treat it as read-only."""
        version = self.data_version()

        def compute_it() -> tuple[T, bool]:
            value = compute()
            return value, self.data_version() == version  # else a write committed meanwhile: either version's

        return cast(T, self._cache.work_out(("computed", name, key, version), compute_it))

    def clear_cache(self) -> None:
        self._cache.clear()
        self._identity = next(_store_ids)  # what was built from the results vouched before is found by content only

    def settings(self) -> dict[str, str]:
        """The settings table, read once per data version (every page asks for it several times a run)."""
        version = self.data_version()
        found = self._settings
        if found is None or found[0] != version:
            found = self._settings = (version, dict(run(self.cursor(), "settings__all").fetchall()))
        return dict(found[1])

    def tiers(self) -> list[str]:
        """Configured tiers, best first."""
        return [t for t in self.settings()["tiers"].split(",") if t]

    def is_empty(self) -> bool:
        return run(self.cursor(), "branches__count").fetchall()[0][0] == 0


def _freeze(value: Any) -> Any:
    """Hashable form of a parameter value (lists become tuples) for the cache key."""
    if isinstance(value, list | tuple):
        return tuple(value) if value else None
    return value


def _thaw(value: Any) -> Any:
    if isinstance(value, tuple):
        return list(value)
    return value


_WORD_RE = re.compile(r"[a-z_][a-z0-9_]*")
_CATALOG_RE = re.compile(r"\b(information_schema|pg_catalog|duckdb_\w+)\b", re.IGNORECASE)


def _catalog(conn: duckdb.DuckDBPyConnection) -> dict[str, str | None]:
    """The database's tables (None) and its views and macros (their definitions), by name."""
    out: dict[str, str | None] = {r[0].lower(): None for r in conn.execute("select table_name from duckdb_tables()").fetchall()}
    for name, sql in conn.execute("select view_name, sql from duckdb_views() where not internal").fetchall():
        out[name.lower()] = sql
    macros = "select function_name, macro_definition from duckdb_functions() where function_type like '%macro' and not internal"
    for name, definition in conn.execute(macros).fetchall():  # a macro's overloads: each one's definition
        out[name.lower()] = f"{out.get(name.lower()) or ''} {definition or ''}"
    return out


def _tables_read(sql: str, catalog: Mapping[str, str | None]) -> frozenset[str]:
    """The tables among the names in `sql`, and, through the views and macros it names, in their definitions; every
    table for a query of the catalog itself (what it lists changes with any table)."""
    if _CATALOG_RE.search(sql):
        return frozenset(name for name, definition in catalog.items() if definition is None)
    seen: set[str] = set()
    tables: set[str] = set()
    todo = [_strip_comments(sql)]
    while todo:
        for word in set(_WORD_RE.findall(todo.pop().lower())):
            if word in seen or word not in catalog:
                continue
            seen.add(word)
            definition = catalog[word]
            if definition is None:
                tables.add(word)
            else:
                todo.append(definition)
    return frozenset(tables)


@cache
def load_query(name: str) -> tuple[str, tuple[str, ...]]:
    """Text of queries/<name>.sql and the named parameters it uses."""
    if not re.fullmatch(r"[a-z0-9_]+", name):
        raise ValueError(f"bad query name: {name!r}")
    sql = (QUERIES_DIR / f"{name}.sql").read_text(encoding="utf-8")
    return sql, tuple(sorted(set(_PARAM_RE.findall(_strip_comments(sql)))))


def run(cur: duckdb.DuckDBPyConnection, name: str, params: Mapping[str, Any] | None = None) -> duckdb.DuckDBPyConnection:
    """Run queries/<name>.sql on `cur`, uncached: the writes (inside `store.transaction()`), and the reads that must
    see the transaction's own rows or another file (a backup). Binds only the parameters the query declares; the
    caller fetches the result to its end (DuckDB 2 refuses further work on a cursor with an unfinished result)."""
    sql, declared = load_query(name)
    return cur.execute(sql, {k: params.get(k) if params else None for k in declared})


_WRITE_RE = re.compile(r"^\s*(insert|update|delete)\b", re.IGNORECASE)


def is_write(sql: str) -> bool:
    """A query file that changes rows (its statement starts with insert, update or delete)."""
    return bool(_WRITE_RE.match(_strip_comments(sql)))


def _strip_comments(sql: str) -> str:
    return re.sub(r"--[^\n]*", "", sql)


# Columns stored as exact decimals since issue 11 (DOUBLE before): a file from before is converted on open.
EXACT_COLUMNS = {
    "standards": "max_score",
    "assessment_scores": "score",
    "volunteer_records": "hours",
    "replaced_standards": "max_score",
    "replaced_assessment_scores": "score",
    "assessment_totals": "total_score",
    "volunteer_daily": "hours",
}
_DERIVED = ("assessment_totals", "volunteer_daily")


def migrate(conn: duckdb.DuckDBPyConnection) -> None:
    """Create or bring the schema up to date, then (re)create the shared macros and views."""
    schema = (_PACKAGE_DIR / "schema.sql").read_text(encoding="utf-8")
    english_before = bool(
        conn.execute(
            "select count(*) from duckdb_columns() where table_name = 'standards' and column_name = 'item_name_en'"
        ).fetchall()[0][0]
    )
    conn.execute(schema)
    _rebuild_outdated_tables(conn, schema)
    conn.execute((_PACKAGE_DIR / "macros.sql").read_text(encoding="utf-8"))
    from branchboard.standards import add_default_english, ensure_default_standards

    ensure_default_standards(conn)
    if not english_before:  # a file from before the English names (migration 8): its default items get them
        add_default_english(conn)
    # A file from before the pre-aggregates, or restored from a backup, gets them (re)built here.
    conn.execute("begin transaction")
    try:
        refresh_derived(conn)
        conn.execute("commit")
    except BaseException:
        conn.execute("rollback")
        raise


# Text columns stored without compression (issue 17): a million-row import spent over half of its insert finding a
# compression for member codes, nearly one per row and never read by a page; plain they cost ~8 bytes a row more.
PLAIN_COLUMNS = {"volunteer_records": "member_code"}


def _rebuild_outdated_tables(conn: duckdb.DuckDBPyConnection, schema: str) -> None:
    """Tables of a file from before a change that ALTER cannot make are rebuilt as schema.sql defines them, rows kept,
    all in one transaction: scores or hours still DOUBLE (issue 11: converted to DECIMAL, rounded to the cent; DuckDB
    cannot change a column's type under a CHECK constraint) and member codes still compressed (issue 17). The
    pre-aggregates among them are dropped and rebuilt from the converted facts."""
    # One look at the catalogue, not one per column: every open of the store (every test, every start) asks.
    double = set(conn.execute("select table_name, column_name from duckdb_columns() where data_type = 'DOUBLE'").fetchall())
    definitions = dict(conn.execute("select table_name, sql from duckdb_tables() where not temporary").fetchall())
    old = [table for table, column in EXACT_COLUMNS.items() if (table, column) in double]
    old += [
        table
        for table, column in PLAIN_COLUMNS.items()
        if table in definitions
        and table not in old
        and not re.search(rf"\b{column}\s+VARCHAR\s+USING\s+COMPRESSION\s+uncompressed", definitions[table], re.I)
    ]
    if not old:
        return
    conn.execute("begin transaction")
    try:
        for table in old:
            conn.execute(f"alter table {table} rename to {table}__old")  # names from the constants above, not input
        conn.execute(schema)  # the tables again, as schema.sql defines them now
        for table in old:
            if table in _DERIVED:
                conn.execute("delete from derived_state where name = $n", {"n": table})
            elif (table, EXACT_COLUMNS.get(table)) in double:
                column = EXACT_COLUMNS[table]
                conn.execute(
                    f"insert into {table} by name select * replace (round({column}, 2)::decimal(18, 2) as {column}) "
                    f"from {table}__old"
                )
            else:
                conn.execute(f"insert into {table} by name select * from {table}__old")
            conn.execute(f"drop table {table}__old")
        conn.execute("commit")
    except BaseException:
        conn.execute("rollback")
        raise


@dataclass(frozen=True)
class Derived:
    """A pre-aggregated table (branchboard/derived.sql): the fact table it is built from and the key it is grouped
    by, a fingerprint of its sources and the query that builds its rows from `{records}`: the source, or the part
    of it a keyed refresh reads."""

    name: str
    source: str
    keys: tuple[str, ...]
    fingerprint: str
    build: str

    @property
    def marked(self) -> str:
        """The temporary table (one per connection) holding the keys a transaction's writes marked."""
        return f"marked_{self.name}"

    def built_from(self, records: str) -> str:
        """The build reading `records` (a table name or a parenthesised query with the source's columns)."""
        return self.build.replace("{records}", records)


@cache
def derived_tables() -> tuple[Derived, ...]:
    text = (_PACKAGE_DIR / "derived.sql").read_text(encoding="utf-8")
    out = []
    for block in re.split(r"^-- derived: ", text, flags=re.M)[1:]:
        name, rest = block.split("\n", 1)
        source_line = re.search(r"^-- source: (\w+)$", rest, flags=re.M)
        keys_line = re.search(r"^-- keys: (.+)$", rest, flags=re.M)
        if source_line is None or keys_line is None:
            raise ValueError(f"derived.sql: {name} lacks its -- source: or -- keys: line")
        source = source_line.group(1)
        keys = tuple(k.strip() for k in keys_line.group(1).split(","))
        _, fingerprint, build = re.split(r"^-- (?:fingerprint|build)\s*$", rest, flags=re.M)
        out.append(
            Derived(
                name.strip(),
                source,
                keys,
                _strip_comments(fingerprint).strip().rstrip(";"),
                _strip_comments(build).strip().rstrip(";"),
            )
        )
    return tuple(out)


# Records read ahead for a frame are kept (until its commit; the Import page caches prepared files) up to as many as a
# quarter of its rows, or this many: about 100 bytes each against 44 for a row of a million-row volunteer frame, so at
# most some 60 % more memory for the frame.
AHEAD_AT_LEAST = 100_000


@dataclass(frozen=True, eq=False)
class SetAside:
    """Stored records of a pre-aggregate's source read ahead of a write (Store.set_aside_ahead): those whose key
    hashes like one of the keys the write will add, with their batch ids. The write's refresh uses them instead of
    setting them aside itself only when they are still what it would set aside: nothing wrote the source since (the
    version in this process, the fingerprint in the file) and the keys it marked are those they were read for."""

    name: str  # the pre-aggregate
    source: str
    version: tuple[object, int]  # the database file's and its source's version when read
    fingerprint: str  # of the pre-aggregate's sources in the snapshot read
    # How many distinct key hashes they were read for, and their sum: the marks' (distinct keys) are the same when
    # the write marked these keys (two keys of one hash make the marks one more: not used then, which is safe).
    keys: tuple[int, int]
    records: pa.Table


def mark_batch(
    cur: duckdb.DuckDBPyConnection, table: str, batch_id: int, column: str = "batch_id", inserted: bool = False
) -> None:
    """Mark, for the pre-aggregates built from `table`, the keys of the rows of `table` whose `column` is
    `batch_id`, so that this transaction's refresh rebuilds only those keys. Every write to a fact table marks
    what it touches: the rows a batch inserted (after inserting them, `inserted`), the rows a replacement moved to
    the archive (after moving them), the rows an undo deletes or brings back (before it does). `table` may be a
    `replaced_<source>` archive. A write that marks nothing gets a full rebuild."""
    for d in derived_tables():
        if table not in (d.source, f"replaced_{d.source}"):
            continue
        keys = ", ".join(d.keys)  # names from derived.sql, not input
        # Declared column by column, not `create … as select … limit 0`: in DuckDB 2.0.0 a table created that way
        # and then given more than one row group (122,880 rows: a million-row file's date × branch keys) in the
        # same transaction answers every `limit` query (and `exists`) with no rows, even after the commit, so the
        # marks of a first large import were never seen, nor cleared, and the next import rebuilt them all.
        described = cur.execute(f"describe select {keys} from {d.source}").fetchall()
        columns = ", ".join(f'"{name}" {type_}' for name, type_, *_ in described)  # from the catalog, not input
        cur.execute(f"create temp table if not exists {d.marked} ({columns}, inserted integer)")
        cur.execute(
            f"insert into {d.marked} select distinct {keys}, $i from {table} where {column} = $b",
            {"b": batch_id, "i": batch_id if inserted else None},
        )


def mark_all(cur: duckdb.DuckDBPyConnection) -> None:
    """Have this transaction's refresh rebuild every pre-aggregate whole: for writes that change facts beyond the
    rows of a batch (the demo replacing everything, a migration converting a table)."""
    cur.execute("delete from derived_state")


def refresh_derived(cur: duckdb.DuckDBPyConnection, full: bool = False, set_aside: Collection[SetAside] = ()) -> dict[str, str]:
    """Bring, inside the caller's transaction, every pre-aggregate whose sources changed up to date; returns those
    refreshed, each with how: "keys" (the marked keys only), "keys ahead" (the same, with the older records read
    before the write: `set_aside`, used only when the source's fingerprint stored at the last refresh is theirs) or
    "full".

    The fingerprint (row count and a sum of row hashes of the sources) costs a scan of the sources (tens of ms for a
    million volunteer records); a table is refreshed only when it differs from the one stored at the last refresh.
    Then only the keys the transaction marked (mark_batch) are rebuilt, unless nothing was marked, the sources
    other than the fact table changed (the checklist, for the totals), or `full` is asked: then the whole table.
    """
    refreshed: dict[str, str] = {}
    for d in derived_tables():
        fingerprint = str(cur.execute(d.fingerprint).fetchall()[0][0])
        stored = cur.execute("select fingerprint from derived_state where name = $n", {"n": d.name}).fetchall()
        marked = _has_marks(cur, d)
        if full or not stored or stored[0][0] != fingerprint:
            same_rest = bool(stored) and stored[0][0].split("|")[1:] == fingerprint.split("|")[1:]
            if marked and same_rest and not full:
                ahead = next((a for a in set_aside if a.name == d.name and stored[0][0] == a.fingerprint), None)
                refreshed[d.name] = "keys ahead" if _refresh_marked(cur, d, ahead) else "keys"
            else:
                cur.execute(f"delete from {d.name}")
                cur.execute(f"insert into {d.name} " + d.built_from(d.source))
                refreshed[d.name] = "full"
            cur.execute("insert or replace into derived_state values ($n, $f)", {"n": d.name, "f": fingerprint})
        if marked:
            cur.execute(f"delete from {d.marked}")
    return refreshed


def _refresh_marked(cur: duckdb.DuckDBPyConnection, d: Derived, ahead: SetAside | None = None) -> bool:
    """Rebuild the rows of the marked keys from every record with one of those keys; True when the records set
    aside were `ahead`'s.

    The records outside the inserted batches whose key may be a marked one are set aside first: those whose key
    hashes like a marked key's, a join on one integer (a third faster than on the key's columns), with only the
    columns the build reads. A record of an unmarked key may come along (two keys of one hash); then so do all of
    that key's records, none of which is in the batches, so its rows are rebuilt as they were. DuckDB skips the
    inserted batches' row groups by their min/max batch id (which grows with every import), and a first import,
    with no other records, sets nothing aside.
    The table's rows of the keys set aside, and of the keys whose records an undo or a replacement removed (marked
    with no `inserted` batch), are deleted: every row of the table comes from records, so these include every marked
    key it holds. The marked keys' rows are then built in one statement from the inserted batches' records and the
    records set aside.

    This replaced (issue 17, eighth round) a plan that found which marked keys the table held by a join of all of
    them with the table, built the batches' other keys, then deleted and rebuilt the held keys from every record:
    each a join over hundreds of thousands of keys, and a second append to the table in the same transaction,
    which made DuckDB log the first append's rows to the WAL (5 MB for a million records, and a checkpoint of
    40 ms later) instead of committing them in place."""
    keys = ", ".join(d.keys)  # names from derived.sql and the catalog, not input
    # The marks' hash sum only to compare with records read ahead: 4 ms of 6 over a million-row file's 200,000 keys.
    digest = f"sum(hash({keys}))" if ahead is not None else "null"
    marks = cur.execute(
        f"select inserted, count(*), {digest} from {d.marked} group by inserted order by inserted nulls last"
    ).fetchall()
    batches = sorted(r[0] for r in marks if r[0] is not None)
    # Read ahead for exactly the keys marked, all by one inserted batch (none removed), with nothing written since:
    # the records outside that batch whose key hashes like a marked one's are those read.
    use_ahead = ahead is not None and len(marks) == 1 and marks[0][0] is not None and marks[0][1:] == ahead.keys
    columns = ", ".join(_columns_read(cur, d))
    params: dict[str, Any] = {}
    outside = "true"
    if batches:
        params = {"low": batches[0], "high": batches[-1]}
        gaps = batches != list(range(batches[0], batches[-1] + 1))
        if gaps:
            params["batches"] = batches

        def inserted(column: str) -> str:
            return f"{column} between $low and $high" + (f" and list_contains($batches, {column})" if gaps else "")

        # `is null or not`: a record without a batch (none is written so) still counts, as in a full rebuild.
        outside = f"batch_id is null or not ({inserted('batch_id')})"
    aside = f"{d.marked}_records"
    read = [f"select {columns} from {d.source} where {inserted('batch_id')}"] if batches else []
    gone = f"select {keys} from {d.marked} where inserted is null"
    if use_ahead:
        assert ahead is not None
        # Outside the inserted batch, as the set-aside below: a stored record under its id is read with the batch.
        found = ahead.records
        inside = pc.is_in(found.column("batch_id"), value_set=pa.array(batches, found.schema.field("batch_id").type))
        found = found.filter(pc.invert(inside))
        if found.num_rows:
            cur.register(aside, found)
            read.append(f"select {columns} from {aside}")
            gone += f" union all select {keys} from {aside}"
    elif cur.execute(f"select exists (select 1 from {d.source} where {outside})", params).fetchall()[0][0]:
        cur.execute(
            f"create or replace temp table {aside} as select {columns} from {d.source} "
            f"where ({outside}) and hash({keys}) in (select hash({keys}) from {d.marked})",
            params,
        )
        read.append(f"select {columns} from {aside}")
        gone += f" union all select {keys} from {aside}"
    try:
        cur.execute(f"delete from {d.name} as t where ({', '.join(f't.{k}' for k in d.keys)}) in (select ({keys}) from ({gone}))")
        # No records at all (an undo of the only batch): the source itself, empty.
        records = f"({' union all '.join(read)})" if read else d.source
        cur.execute(f"insert into {d.name} " + d.built_from(records), params)
    finally:
        if use_ahead:
            cur.unregister(aside)
        else:
            cur.execute(f"drop table if exists {aside}")
    return use_ahead


def _columns_read(cur: duckdb.DuckDBPyConnection, d: Derived) -> list[str]:
    """The source's columns a build names (a keyed refresh sets aside only those: a third of the time)."""
    described = cur.execute(f"describe {d.source}").fetchall()
    return [name for name, *_ in described if re.search(rf"\b{re.escape(name)}\b", d.build)]


def _has_marks(cur: duckdb.DuckDBPyConnection, d: Derived) -> bool:
    exists = cur.execute("select count(*) from duckdb_tables() where temporary and table_name = $t", {"t": d.marked})
    return bool(exists.fetchall()[0][0]) and bool(cur.execute(f"select exists (select 1 from {d.marked})").fetchall()[0][0])


def check_derived(cur: duckdb.DuckDBPyConnection) -> list[str]:
    """The pre-aggregates whose stored rows differ from a full rebuild of them (the consistency check of the
    incremental refresh); an empty list when every one agrees."""
    differ = []
    for d in derived_tables():
        fresh = d.built_from(d.source)
        stored = f"select * from {d.name}"
        sql = f"select count(*) from (({stored} except all ({fresh})) union all (({fresh}) except all {stored}))"
        if cur.execute(sql).fetchall()[0][0]:
            differ.append(d.name)
    return differ


_stores: dict[Path, Store] = {}
_stores_lock = threading.Lock()


def get_store(path: str | os.PathLike[str] | None = None) -> Store:
    """The process-wide Store for a database file (one connection per file and process)."""
    resolved = resolve_db_path(path)
    with _stores_lock:
        store = _stores.get(resolved)
        if store is None:
            store = Store(resolved)
            _stores[resolved] = store
        return store


def close_all() -> None:
    with _stores_lock:
        for store in _stores.values():
            store.close()
        _stores.clear()
