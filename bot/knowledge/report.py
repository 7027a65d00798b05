"""The knowledge base's review dates: which entries are stale (not checked against their source for over a year).

    python -m bot.knowledge.report [--today YYYY-MM-DD]     (make bench runs it; `ilp knowledge` prints the same)
"""
from __future__ import annotations

import argparse
import datetime as dt
import sys
from typing import Optional, Sequence

from bot.knowledge.entries import Entry, shipped_entries


def review_rows(entries: Sequence[Entry], today: Optional[dt.date] = None) -> list[dict]:
    """One row per entry, oldest review first: id, topic, last_reviewed (ISO), stale, sources (urls)."""
    rows = [{"id": entry.id, "topic": entry.topic, "last_reviewed": entry.last_reviewed.isoformat(),
             "stale": entry.stale(today), "sources": [source.url for source in entry.source]}
            for entry in entries]
    return sorted(rows, key=lambda row: (row["last_reviewed"], row["topic"], row["id"]))


def review_lines(rows: Sequence[dict]) -> list[str]:
    width = max((len(row["id"]) for row in rows), default=2)
    lines = [f"{row['last_reviewed']}  {row['id']:<{width}}  {row['topic']}{'  STALE' if row['stale'] else ''}"
             for row in rows]
    stale = [row["id"] for row in rows if row["stale"]]
    lines.append(f"{len(rows)} entries; {len(stale)} stale (last reviewed more than a year ago)"
                 + (f": {', '.join(stale)}" if stale else ""))
    return lines


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.knowledge.report", description=__doc__.splitlines()[0])
    parser.add_argument("--today", type=dt.date.fromisoformat, help="the date to judge staleness on (default today)")
    args = parser.parse_args(argv)
    print("\n".join(review_lines(review_rows(shipped_entries(), args.today))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
