"""One connection to the chronicle store: SQLite (a file, the default) or PostgreSQL.

The rest of ``letopis.store`` writes SQL once, with ``?`` placeholders, and runs it
through :class:`Database`, which adapts the few things that differ (placeholders,
search, upserts are written in the dialect both share). Values always travel as
parameters, never inside the SQL text.

Schema changes are append-only migrations in ``migrations/<dialect>/NNNN_name.sql``,
applied in order and recorded in ``schema_migrations``.
"""

from __future__ import annotations

import os
import re
import sqlite3
import struct
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from importlib import resources
from typing import Any, Iterator, Sequence

DEFAULT_DB = "letopis.db"
BUSY_TIMEOUT_S = 10.0
STORE_BATCH = 1024  # articles `letopis ingest` and `letopis load` store per transaction: the fewer commits, the
# fewer times the same index pages are written (commit time per article: 2.3 ms at 32, 0.9 ms at 256; storing
# 2,000 articles into a 40,000-article store: 5.5 ms per article at 256, 4.6 at 1,024, no better at 2,048)


WAL_LIMIT = 1 << 30  # bytes of write-ahead log past which a bulk writer checkpoints itself (Checkpointer)
# bytes of write-ahead log file a bulk writer keeps when the log starts again (journal_size_limit): the limit
# and a batch or so more, so that the log's next round writes over the file's blocks instead of growing it
# (a page written past a file's end cost twice one written over it here: 3.4 against 1.6 us; storing 2,048
# articles into a 40,000-article store, 256 per batch, log restarting every 128 MiB: 3.68 against 3.94 ms
# per article with the file cut back to 32 MiB)
WAL_KEPT = WAL_LIMIT + (WAL_LIMIT >> 1)


class StoreError(Exception):
    """A store problem the user can act on; the message says what to do."""


@dataclass
class Migration:
    version: int
    name: str
    sql: str


def migrations(dialect: str) -> list[Migration]:
    folder = resources.files("letopis.store") / "migrations" / dialect
    found = []
    for entry in folder.iterdir():
        match = re.fullmatch(r"(\d{4})_(\w+)\.sql", entry.name)
        if match:
            found.append(Migration(int(match.group(1)), match.group(2), entry.read_text(encoding="utf-8")))
    return sorted(found, key=lambda migration: migration.version)


def is_postgres_url(target: str) -> bool:
    return target.startswith(("postgresql://", "postgres://"))


class Database:
    """A connection with the dialect's differences papered over."""

    def __init__(self, target: str = DEFAULT_DB, readonly: bool = False):
        self.target = target
        self.dialect = "postgres" if is_postgres_url(target) else "sqlite"
        self.readonly = readonly
        self.connection = self._connect()
        self._in_transaction = False
        self.checkpointer: Checkpointer | None = None
        # what this connection's writer keeps of the store between statements (the registry's
        # keys and countries, letopis.store.registry; the actors of events of many actors and
        # the next event cluster's id, letopis.store.clusters): forgotten on every rollback,
        # and when another connection has committed since (PRAGMA data_version; on
        # PostgreSQL, at every transaction)
        self.memo: dict[str, Any] = {}
        self._data_version: int | None = None

    # -- connecting -----------------------------------------------------------------

    def _connect(self):
        if self.dialect == "postgres":
            try:
                import psycopg
            except ImportError as error:  # pragma: no cover - psycopg is a dependency
                raise StoreError("PostgreSQL needs psycopg: pip install 'psycopg[binary]'") from error
            try:
                connection = psycopg.connect(self.target, autocommit=True)
            except psycopg.OperationalError as error:
                raise StoreError(f"cannot connect to {redact(self.target)}: {first_line(error)}\n"
                                 f"Check that the server runs and the URL (user, host, port, database) is right.")
            return connection
        try:
            if self.readonly:
                connection = sqlite3.connect(f"file:{self.target}?mode=ro", uri=True,
                                             timeout=BUSY_TIMEOUT_S, isolation_level=None,
                                             check_same_thread=False)
            else:
                connection = sqlite3.connect(self.target, timeout=BUSY_TIMEOUT_S, isolation_level=None,
                                             check_same_thread=False)
            connection.execute("PRAGMA journal_mode = WAL")
            connection.execute("PRAGMA synchronous = NORMAL")
            connection.execute("PRAGMA foreign_keys = ON")
            connection.execute("PRAGMA cache_size = -65536")  # 64 MiB page cache
        except sqlite3.DatabaseError as error:
            raise StoreError(f"cannot open {self.target} as a letopis store: {error}\n"
                             f"Is it an SQLite file? Give another path with --db, or move this file away.")
        connection.row_factory = sqlite3.Row
        return connection

    def refresh_statistics(self) -> None:
        """The query planner's statistics, after an ingest changed the tables (a fresh
        PostgreSQL table has none until autovacuum comes round, and a timeline query
        on one took 100 ms instead of 7)."""
        if self.readonly:
            return
        try:
            if self.dialect == "postgres":
                self.connection.execute("ANALYZE")
            else:
                self.connection.execute("PRAGMA optimize")
        except Exception:  # statistics are an optimisation: a busy database may refuse
            pass

    def start_checkpoints_beside(self) -> None:
        """For a bulk writer (``letopis ingest``, ``load``) on SQLite: the write-ahead log
        is copied into the database file by a thread of its own after each commit
        (``Checkpointer``) instead of by the commit itself, which waited for the disk:
        with SQLite's automatic checkpoint, committing a batch of 1,024 articles into a
        40,000-article store took 0.85 ms per article, 0.18 with the checkpoint beside."""
        if self.dialect != "sqlite" or self.readonly or self.checkpointer is not None:
            return
        self.connection.execute("PRAGMA wal_autocheckpoint = 0")
        self.connection.execute(f"PRAGMA journal_size_limit = {WAL_KEPT}")  # cut back when the log restarts
        # statement journals (the pages a statement of several rows changes, kept until it
        # ends) in memory, not in a temporary file: a writer's statements change a few pages
        self.connection.execute("PRAGMA temp_store = MEMORY")
        self.checkpointer = Checkpointer(self.target)

    def stop_checkpoints_beside(self) -> None:
        """Wait for the checkpoint in progress and go back to SQLite's own."""
        if self.checkpointer is None:
            return
        try:
            self.checkpointer.close()
        finally:
            self.checkpointer = None
            try:
                self.connection.execute("PRAGMA wal_autocheckpoint = 1000")  # SQLite's defaults
                self.connection.execute("PRAGMA journal_size_limit = -1")
                self.connection.execute("PRAGMA temp_store = DEFAULT")
            except sqlite3.Error:
                pass  # a connection that failed: the error the user sees is the run's own

    def close(self) -> None:
        self.stop_checkpoints_beside()
        if self.dialect == "sqlite" and not self.readonly:
            try:  # refreshes the planner's statistics where they are stale (SQLite's advice)
                self.connection.execute("PRAGMA optimize")
            except Exception:  # a locked or full database: closing matters more
                pass
        self.connection.close()

    # -- running SQL -----------------------------------------------------------------

    def sql(self, text: str) -> str:
        return text.replace("?", "%s") if self.dialect == "postgres" else text

    def indexed_by(self, index: str) -> str:
        """`` INDEXED BY index`` on SQLite, nothing on PostgreSQL. For lookups whose best
        index SQLite's planner can miss: its statistics are averages (an entity has 49
        clusters on average, Russia has tens of thousands), and with them it once read every
        cluster of a country to find the actors of 50 clusters."""
        return f" INDEXED BY {index}" if self.dialect == "sqlite" else ""

    def execute(self, text: str, params: Sequence[Any] = ()):
        try:
            return self.connection.execute(self.sql(text), tuple(params))
        except sqlite3.OperationalError as error:
            raise translate_sqlite_error(error, self.target) from error

    def executemany(self, text: str, rows: Sequence[Sequence[Any]]) -> None:
        if not rows:
            return
        try:
            if self.dialect == "postgres":
                with self.connection.cursor() as cursor:
                    cursor.executemany(self.sql(text), [tuple(row) for row in rows])
            else:
                self.connection.executemany(text, [tuple(row) for row in rows])
        except sqlite3.OperationalError as error:
            raise translate_sqlite_error(error, self.target) from error

    def rows(self, text: str, params: Sequence[Any] = ()) -> list[dict]:
        cursor = self.execute(text, params)
        if self.dialect == "postgres":
            names = [column.name for column in cursor.description or []]
            return [dict(zip(names, row)) for row in cursor.fetchall()]
        return [dict(row) for row in cursor.fetchall()]

    def row(self, text: str, params: Sequence[Any] = ()) -> dict | None:
        found = self.rows(text, params)
        return found[0] if found else None

    def value(self, text: str, params: Sequence[Any] = ()):
        cursor = self.execute(text, params)
        found = cursor.fetchone()
        return None if found is None else found[0]

    def insert_id(self, text: str, params: Sequence[Any] = ()) -> int:
        """Run an INSERT ... RETURNING id and give the id."""
        return int(self.value(text, params))

    @contextmanager
    def transaction(self) -> Iterator["Database"]:
        """All or nothing. SQLite takes the write lock at the start (BEGIN IMMEDIATE),
        so a second writer waits up to BUSY_TIMEOUT_S and then gets a clear error."""
        if self._in_transaction:
            yield self
            return
        if self.dialect == "postgres":
            self.memo.clear()  # other writers, and a rollback before: nothing tells what changed
            with self.connection.transaction():
                self._in_transaction = True
                try:
                    yield self
                finally:
                    self._in_transaction = False
            return
        self.execute("BEGIN IMMEDIATE")
        version = self.connection.execute("PRAGMA data_version").fetchone()[0]
        if version != self._data_version:  # another connection committed: what was kept may be stale
            self.memo.clear()
            self._data_version = version
        self._in_transaction = True
        try:
            yield self
        except BaseException:
            self._in_transaction = False
            self.memo.clear()
            try:
                self.connection.execute("ROLLBACK")
            except sqlite3.Error:
                pass
            raise
        self._in_transaction = False
        try:
            self.connection.execute("COMMIT")
        except sqlite3.OperationalError as error:
            raise translate_sqlite_error(error, self.target) from error
        if self.checkpointer is not None:
            self.checkpointer.after_commit(self)

    # -- schema ------------------------------------------------------------------------

    def applied_versions(self) -> set[int]:
        if not self.table_exists("schema_migrations"):
            return set()
        return {row["version"] for row in self.rows("SELECT version FROM schema_migrations")}

    def table_exists(self, name: str) -> bool:
        if self.dialect == "postgres":
            return self.value("SELECT to_regclass(?) IS NOT NULL", (name,)) is True
        return self.value("SELECT count(*) FROM sqlite_master WHERE name = ?", (name,)) > 0

    def migrate(self) -> list[Migration]:
        """Apply the migrations this database lacks, each in its own transaction."""
        if self.readonly:
            return []
        if self.table_exists("schema_migrations") and \
                {migration.version for migration in migrations(self.dialect)} <= self.applied_versions():
            return []  # up to date: no write lock taken, so opening never waits for an ingest
        with self.transaction():
            self.execute("CREATE TABLE IF NOT EXISTS schema_migrations ("
                         "version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)")
        done = self.applied_versions()
        applied = []
        for migration in migrations(self.dialect):
            if migration.version in done:
                continue
            with self.transaction():
                for statement in split_statements(migration.sql):
                    self.execute(statement)
                self.execute("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                             (migration.version, migration.name, now()))
            applied.append(migration)
        return applied

    def schema_version(self) -> int:
        versions = self.applied_versions()
        return max(versions) if versions else 0

    def check_schema(self) -> None:
        """Refuse a store written by a newer letopis (its migrations are unknown here)."""
        known = {migration.version for migration in migrations(self.dialect)}
        unknown = self.applied_versions() - known
        if unknown:
            raise StoreError(f"{redact(self.target)} has schema version {max(unknown)}, newer than this "
                             f"letopis knows ({max(known)}). Upgrade letopis to use it.")


class Checkpointer:
    """Checkpoints of a SQLite store (the write-ahead log copied into the database file,
    then both synced to disk) on a connection and thread of their own, one at a time,
    started after a bulk writer's commit: the writer stores its next batch meanwhile
    (SQLite's advice for writers that cannot wait for the disk, its "wal.html"). A
    checkpoint in progress never blocks the writer. When the log outgrows WAL_LIMIT
    (the checkpoints beside never end before the next batch begins, so the log never
    starts again from its beginning), the writer waits for the one in progress and
    copies the rest itself: the log file stays bounded. A checkpoint that failed (a full
    disk) is run again by the writer itself, whose error then stops the run; what was
    committed is in the log meanwhile, nothing is lost."""

    def __init__(self, target: str):
        self.target = target
        self.thread: threading.Thread | None = None
        self.connection: sqlite3.Connection | None = None
        self.failed: Exception | None = None
        self.seconds = 0.0  # checkpointing beside the writer
        self.closing_seconds = 0.0  # the last checkpoint, which the writer waits for (close)

    def after_commit(self, db: "Database") -> None:
        over = wal_bytes(self.target) >= WAL_LIMIT  # what the log holds, not its file (WAL_KEPT)
        if self.thread is not None and self.thread.is_alive():
            if not over:
                return  # the one in progress copies what it can; the next one the rest
            self.thread.join()
        if over or self.failed is not None:
            # a checkpoint that failed beside, or a log past its limit: the log starts again from
            # its beginning only when a batch begins after a checkpoint copied all of it, and the
            # ones beside may never finish before the next batch (a writer with its records at
            # hand): the writer copies the rest itself, so its next batch starts the log again
            self.failed = None
            try:
                db.connection.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
            except sqlite3.OperationalError as error:
                raise translate_sqlite_error(error, self.target) from error
            return
        self.thread = threading.Thread(target=self._beside, name="letopis-checkpoint", daemon=True)
        self.thread.start()

    def _beside(self) -> None:
        started = time.perf_counter()
        try:
            self._checkpoint()
        except Exception as error:  # noqa: BLE001 - the writer runs it again and reports
            self.failed = error
        self.seconds += time.perf_counter() - started

    def _checkpoint(self) -> None:
        if self.connection is None:
            self.connection = sqlite3.connect(self.target, timeout=BUSY_TIMEOUT_S, isolation_level=None,
                                              check_same_thread=False)
        self.connection.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()

    def close(self) -> None:
        """Wait for the checkpoint in progress, then copy the rest of the log, in the
        caller's thread (the writer is done)."""
        started = time.perf_counter()
        try:
            if self.thread is not None:
                self.thread.join()
                self.thread = None
                try:
                    self._checkpoint()
                except sqlite3.Error:
                    pass  # what is left in the log is copied by the next checkpoint, nothing is lost
        finally:
            if self.connection is not None:
                self.connection.close()
                self.connection = None
            self.closing_seconds = time.perf_counter() - started


def wal_bytes(target: str) -> int:
    """Bytes the write-ahead log of TARGET holds now: its frames since it last started
    again, read from the wal-index header in ``TARGET-shm`` (SQLite's "walformat.html",
    2.2.1: version 3007000, native byte order, the page size at byte 14, the frame count
    at 16). Not the log file's size: a bulk writer keeps the file (WAL_KEPT) when the
    log starts again. The file's size when the header cannot be read."""
    try:
        with open(target + "-shm", "rb") as shm:
            header = shm.read(WAL_HEADER.size)
        version, page_size, frames = WAL_HEADER.unpack(header)
        if version == WAL_INDEX_VERSION:
            page_size = 65536 if page_size == 1 else page_size
            return WAL_FILE_HEADER + frames * (WAL_FRAME_HEADER + page_size) if frames else 0
    except (OSError, struct.error):
        pass
    try:
        return os.path.getsize(target + "-wal")
    except OSError:
        return 0


WAL_HEADER = struct.Struct("=I10xHI")  # the wal-index header's version, page size and frame count
WAL_INDEX_VERSION = 3007000
WAL_FILE_HEADER, WAL_FRAME_HEADER = 32, 24


def split_statements(sql: str) -> list[str]:
    """Statements of a migration file: split at semicolons ending a line (the files
    keep to that), comments dropped."""
    lines = [line for line in sql.splitlines() if not line.lstrip().startswith("--")]
    text = "\n".join(lines)
    return [statement.strip() for statement in re.split(r";\s*\n", text + "\n") if statement.strip()]


def translate_sqlite_error(error: sqlite3.OperationalError, target: str) -> Exception:
    message = str(error)
    if "locked" in message or "busy" in message:
        return StoreError(f"{target} is locked by another writer (waited {BUSY_TIMEOUT_S:.0f} s). "
                          f"Only one `letopis ingest` may write at a time: wait for the other one to "
                          f"finish, then run this again; what is stored stays stored.")
    if "full" in message:
        return StoreError(f"{target}: the disk is full (or the database hit its size limit). Nothing of "
                          f"the article being written was kept and what was stored before is intact; free "
                          f"some space and run the same command again to go on where it stopped.")
    if "readonly" in message or "read-only" in message:
        return StoreError(f"{target} is read-only here: check the file's permissions.")
    return error


def redact(url: str) -> str:
    """A database URL without its password, for messages."""
    return re.sub(r"(://[^:/@]+):[^@]*@", r"\1:***@", url)


def first_line(error: Exception) -> str:
    return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__


def now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
