"""Benchmark of the audit chain (not a test): how much an audited write costs, and how fast `verify` reads.

On SQLite (a temporary file) and PostgreSQL (a throwaway schema on ZHENGSHU_BENCH_DATABASE_URL, default
the local server's `test` database) it measures, one row or event per transaction:

  (a) plain    INSERT of an equivalent row (same columns and indexes) through a write session;
  (b) append   one event through the real UnitOfWork and the recorder (hash, head lock, checkpoints);
  (c) verify   `service.verify_chain` over a chain of --records records (built directly, checkpoints signed);

each five times, interleaved, keeping the best (the machine may be shared), and prints the rates with the
ratios append/plain (aim >= 0.5) and verify/append (aim >= 50).

    .venv/bin/python bench/audit.py [--appends 2000] [--records 100000] [--backends sqlite,postgresql]
"""

from __future__ import annotations

import argparse
import sqlite3
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from databases import bench_database
from sqlalchemy import MetaData, Table, insert

from zhengshu.core.audit import service
from zhengshu.core.audit.domain import GENESIS_HASH, Checkpoint, Entry, checkpoint_message, link_hash
from zhengshu.core.audit.tables import chain_head, checkpoints, records
from zhengshu.kernel import clock
from zhengshu.kernel.actor import Actor, ActorKind
from zhengshu.kernel.crypto import sign
from zhengshu.kernel.database import Database, metadata
from zhengshu.kernel.events import DomainEvent
from zhengshu.modules import Platform
from zhengshu.settings import Settings, load_settings

ROUNDS = 5
ACTOR = Actor(kind=ActorKind.USER, id="zhangsan", name="张三", department_code="130300003",
              roles=frozenset({"platform_admin"}), client_address="10.20.30.40")


@dataclass(frozen=True, kw_only=True)
class RecordViewed(DomainEvent):
    """A typical event: someone read a record of a registry."""

    action = "bench.record_viewed"
    resource: str
    fields: tuple[str, ...]


def _event(i: int) -> RecordViewed:
    return RecordViewed(actor=ACTOR, target=f"population:person:{i}", resource="RK-130300-001",
                        fields=("姓名", "身份证号", "住址"))


def _rate(count: int, run: Callable[[int], None]) -> float:
    start = time.perf_counter()
    for i in range(count):
        run(i)
    return count / (time.perf_counter() - start)


def _plain_table() -> Table:
    """audit_records' twin (same columns, same indexes) on its own metadata."""
    twin = MetaData()
    table = records.to_metadata(twin, name="bench_plain_records")
    table.primary_key.name = "pk_bench_plain_records"
    for index in table.indexes:
        index.name = index.name.replace("audit_records", "bench_plain_records")
    return table


def _build_chain(database: Database, platform: Platform, count: int) -> None:
    """A valid chain of `count` records with a checkpoint as often as the settings say, written in bulk."""
    rows, prev, now = [], GENESIS_HASH, clock.now()
    signed: list[dict] = []
    for seq in range(1, count + 1):
        event = _event(seq)
        entry = Entry(now + timedelta(microseconds=seq), ACTOR.label, ACTOR.name, ACTOR.department_code,
                      event.action, event.target, "success", ACTOR.client_address,
                      '{"fields":["姓名","身份证号","住址"],"resource":"RK-130300-001"}')
        digest = link_hash(prev, seq, entry)
        rows.append({"seq": seq, "occurred_at": entry.occurred_at, "actor": entry.actor,
                     "actor_name": entry.actor_name, "department_code": entry.department_code,
                     "action": entry.action, "target": entry.target, "outcome": entry.outcome,
                     "client_address": entry.client_address, "details": entry.details,
                     "prev_hash": prev.hex(), "hash": digest.hex()})
        if seq % platform.settings.audit_checkpoint_every == 0 or seq == count:
            message = checkpoint_message(seq, digest.hex(), now)
            signature = sign(platform.audit_key.private_key_hex, message).hex()
            signed.append(Checkpoint(seq, digest.hex(), now, signature, platform.audit_key.public_key_hex)
                          ._asdict())
        prev = digest
    with database.engine.begin() as connection:
        for table in (records, checkpoints, chain_head):
            connection.execute(table.delete())
        connection.execute(insert(records), rows)
        connection.execute(insert(checkpoints), signed)
        connection.execute(insert(chain_head).values(id=1, seq=count, hash=prev.hex(), checkpoint_seq=count,
                                                     checkpoint_at=now))


def measure(backend: str, appends: int, chain: int, every: int) -> dict[str, float | str]:
    with bench_database(backend, "audit") as database, tempfile.TemporaryDirectory() as folder:
        plain = _plain_table()
        metadata.create_all(database.engine, tables=[records, checkpoints, chain_head])
        plain.create(database.engine)
        settings = load_settings(data_dir=Path(folder), database_url=str(database.engine.url),
                                 audit_checkpoint_every=every)
        platform = Platform.start(settings, database=database)
        sample = _event(0)
        row = {"seq": 0, "occurred_at": sample.occurred_at, "actor": ACTOR.label, "actor_name": ACTOR.name,
               "department_code": ACTOR.department_code, "action": sample.action, "target": sample.target,
               "outcome": "success", "client_address": ACTOR.client_address,
               "details": '{"fields":["姓名","身份证号","住址"],"resource":"RK-130300-001"}',
               "prev_hash": "0" * 64, "hash": "0" * 64}
        statement = insert(plain)

        def plain_insert(i: int) -> None:
            with database.write_session() as session:
                session.execute(statement, {**row, "seq": i + 1, "occurred_at": clock.now()})
                session.commit()

        def audited(i: int) -> None:
            with platform.uow() as uow:
                uow.emit(_event(i))
                uow.commit()

        _rate(max(appends // 10, 50), audited)  # warm up: caches, the head row, the first checkpoint
        plain_rates, append_rates, verify_rates = [], [], []
        for round_ in range(ROUNDS):  # interleaved rounds, best of each: the machine is shared
            plain_rates.append(_rate(appends, lambda i, r=round_: plain_insert(r * appends + i)))
            append_rates.append(_rate(appends, audited))
        assert service.verify_chain(platform.uow(), ACTOR, platform.audit_key.public_key_hex).ok

        _build_chain(database, platform, chain)
        for _ in range(ROUNDS):
            start = time.perf_counter()
            result = service.verify_chain(platform.uow(), ACTOR, platform.audit_key.public_key_hex)
            verify_rates.append(result.records_checked / (time.perf_counter() - start))
            assert result.ok and result.records_checked == chain, result.summary
        return {"backend": backend, "plain": max(plain_rates), "append": max(append_rates),
                "verify": max(verify_rates)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--appends", type=int, default=2000, help="transactions measured for (a) and (b)")
    parser.add_argument("--records", type=int, default=100000, help="length of the chain verified in (c)")
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--checkpoint-every", type=int, default=Settings.model_fields["audit_checkpoint_every"].default,
                        help="records between signed checkpoints (default: the platform's default)")
    args = parser.parse_args()
    print(f"SQLite {sqlite3.sqlite_version}; {args.appends} transactions each; verify over {args.records} "
          f"records; a signed checkpoint every {args.checkpoint_every} records")
    print("| backend | plain INSERT/s | audited append/s | verify records/s | append/plain | verify/append |")
    print("|---|---:|---:|---:|---:|---:|")
    for backend in args.backends.split(","):
        r = measure(backend.strip(), args.appends, args.records, args.checkpoint_every)
        print(f"| {r['backend']} | {r['plain']:,.0f} | {r['append']:,.0f} | {r['verify']:,.0f} "
              f"| {r['append'] / r['plain']:.2f} | {r['verify'] / r['append']:.0f} |", flush=True)


if __name__ == "__main__":
    main()
