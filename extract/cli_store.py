"""Command line for ``nhiemvu index``, ``nhiemvu search`` and ``nhiemvu export``.

Called by :mod:`extract.cli` (``add_subcommands``); each subcommand sets ``func`` and returns
an exit code: 0 done (search: at least one hit), 1 search found nothing, 2 usage error.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
from typing import Any

EXIT_OK, EXIT_NONE, EXIT_USAGE = 0, 1, 2

INDEX_EPILOG = """examples:
  nhiemvu index out.jsonl --db tasks.sqlite          build or update the index
  nhiemvu index day1.jsonl day2.jsonl --db tasks.sqlite
  nhiemvu extract letters/ | nhiemvu index - --db tasks.sqlite

A document indexed again (same id) replaces its earlier version."""

SEARCH_EPILOG = """examples:
  nhiemvu search --db tasks.sqlite --agency "Sở Nội vụ"
  nhiemvu search --db tasks.sqlite --agency "so noi vu" --overdue --as-of 2024-12-31
  nhiemvu search --db tasks.sqlite báo cáo --agency "UBND tỉnh" --due-after 2024-01-01
  nhiemvu search --db tasks.sqlite --number 493/UBND-KGVX --json

--agency matches names with abbreviations expanded and accents optional, from the start of the
name ("Sở" finds every Sở); it also returns tasks given to collectives that include the agency
("các sở, ban, ngành"), marked * in the table and "via_collective": true in JSON.
exit status: 0 hits found, 1 no hit, 2 usage error."""

EXPORT_EPILOG = """examples:
  nhiemvu export out.jsonl --to csv -o tasks.csv          Excel-ready CSV (UTF-8 with BOM)
  nhiemvu export out.jsonl --to xlsx -o tasks.xlsx --vi   Vietnamese column headers
  nhiemvu export out.jsonl --to ics -o tasks.ics          one VTODO per task; re-import updates"""


def add_subcommands(sub: Any) -> None:
    ix = sub.add_parser("index", help="load nhiemvu/1 JSONL into a SQLite search index",
                        description="Load records into SQLite (FTS5 for the task text). Re-indexing a document "
                        "replaces it.", epilog=INDEX_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    ix.add_argument("paths", nargs="+", metavar="OUT.jsonl", help="JSONL from `nhiemvu extract` (- = stdin)")
    ix.add_argument("--db", required=True, metavar="FILE", help="SQLite database (created when missing)")
    ix.add_argument("-q", "--quiet", action="store_true", help="no summary on stderr")
    ix.set_defaults(func=cmd_index)

    se = sub.add_parser("search", help="find tasks by agency, words, type, deadline, number",
                        description="Search an index built by `nhiemvu index`.", epilog=SEARCH_EPILOG,
                        formatter_class=argparse.RawDescriptionHelpFormatter)
    se.add_argument("words", nargs="*", metavar="WORDS", help="words of the task text (accents optional; all must occur)")
    se.add_argument("--db", required=True, metavar="FILE", help="index built by `nhiemvu index`")
    se.add_argument("--agency", metavar="NAME", help='assigned agency, e.g. "Sở Nội vụ", "UBND tỉnh", "so noi vu"')
    se.add_argument("--role", default="assignee", choices=["assignee", "coordinator", "report_to", "any"],
                    help="which role --agency/--jurisdiction must hold (default: assignee)")
    se.add_argument("--jurisdiction", metavar="NAME", help='province or district of the agency, e.g. "An Giang"')
    se.add_argument("--type", metavar="TYPE", help="obligation type(s), comma-separated: implement, disseminate, "
                    "report, advise, review, oversee, regulate, discipline, prohibit")
    se.add_argument("--due-before", metavar="DATE", help="due on or before DATE (YYYY-MM-DD)")
    se.add_argument("--due-after", metavar="DATE", help="due on or after DATE")
    se.add_argument("--overdue", action="store_true", help="due date passed (recurring/immediate/ongoing never are)")
    se.add_argument("--as-of", metavar="DATE", help="today's date for --overdue (default: today)")
    se.add_argument("--number", metavar="NUMBER", help='số ký hiệu of the source, e.g. "493/UBND-KGVX" (or "493")')
    se.add_argument("--limit", type=int, default=0, metavar="N", help="at most N hits (default: all)")
    se.add_argument("--json", action="store_true", help="one JSON object per hit (JSONL)")
    se.set_defaults(func=cmd_search)

    ex = sub.add_parser("export", help="export tasks to CSV, XLSX or iCalendar for trackers",
                        description="One row (or VTODO) per obligation.", epilog=EXPORT_EPILOG,
                        formatter_class=argparse.RawDescriptionHelpFormatter)
    ex.add_argument("paths", nargs="+", metavar="OUT.jsonl", help="JSONL from `nhiemvu extract` (- = stdin)")
    ex.add_argument("--to", required=True, choices=["csv", "xlsx", "ics"], help="output format")
    ex.add_argument("-o", "--output", required=True, metavar="FILE", help="file to write")
    ex.add_argument("--vi", action="store_true", help="Vietnamese column headers and type names (csv, xlsx)")
    ex.add_argument("-q", "--quiet", action="store_true", help="no summary on stderr")
    ex.set_defaults(func=cmd_export)


def _err(msg: str) -> None:
    print(f"nhiemvu: {msg}", file=sys.stderr)


def cmd_index(args: argparse.Namespace) -> int:
    from .store import Store, iter_records

    for p in args.paths:
        if p != "-" and not os.path.isfile(p):
            _err(f"no such file: {p}")
            return EXIT_USAGE
    try:
        with Store(args.db) as st:
            stats = st.add(iter_records(args.paths))
            total = st.counts()
    except ValueError as e:
        _err(str(e))
        return EXIT_USAGE
    if not args.quiet:
        print(f"nhiemvu: indexed {stats['documents']} document(s), {stats['obligations']} obligation(s)"
              f" ({stats['errors']} error record(s) skipped); {args.db} now holds {total['documents']} document(s),"
              f" {total['obligations']} obligation(s)", file=sys.stderr)
    return EXIT_OK


def _cut(s: str, n: int) -> str:
    s = " ".join((s or "").split())
    return s if len(s) <= n else s[: max(0, n - 1)] + "…"


def _deadline(ob: dict[str, Any]) -> str:
    dl = ob.get("deadline") or {}
    if dl.get("due"):
        return dl["due"]
    return dl.get("text") or ""


def format_table(hits: list[dict[str, Any]], width: int | None = None) -> str:
    """Fixed columns AGENCY | TASK | DEADLINE | NUMBER, truncated to the terminal width."""
    from .export import agency_label

    width = width or shutil.get_terminal_size((120, 24)).columns
    wa, wd, wn = 30, 18, 18
    wt = max(20, width - wa - wd - wn - 6)
    lines = [f"{'AGENCY':<{wa}} {'TASK':<{wt}} {'DEADLINE':<{wd}} {'NUMBER':<{wn}}",
             f"{'-' * wa} {'-' * wt} {'-' * wd} {'-' * wn}"]
    any_via = False
    for h in hits:
        ob = h["obligation"]
        ag = h.get("agency") or "; ".join(agency_label(a) for a in ob.get("assignees") or []) or "—"
        if h.get("via_collective"):
            ag, any_via = "* " + ag, True
        num = h["document"].get("number") or "—"
        lines.append(f"{_cut(ag, wa):<{wa}} {_cut(ob.get('text', ''), wt):<{wt}} "
                     f"{_cut(_deadline(ob), wd):<{wd}} {_cut(num, wn):<{wn}}".rstrip())
    lines.append(f"{len(hits)} task(s)" + ("; * = given to a collective that includes the agency" if any_via else ""))
    return "\n".join(lines)


def cmd_search(args: argparse.Namespace) -> int:
    from .store import Store

    if args.as_of and not args.overdue:
        _err("--as-of goes with --overdue")
        return EXIT_USAGE
    try:
        with Store(args.db, readonly=True) as st:
            hits = st.search(
                args.words or None, agency=args.agency, jurisdiction=args.jurisdiction, type=args.type,
                due_before=args.due_before, due_after=args.due_after, overdue=args.overdue, as_of=args.as_of,
                number=args.number, role=args.role, limit=args.limit or None,
            )
    except (FileNotFoundError, ValueError) as e:
        _err(str(e))
        return EXIT_USAGE
    try:
        if args.json:
            for h in hits:
                sys.stdout.write(json.dumps(h, ensure_ascii=False) + "\n")
        else:
            print(format_table(hits))
        sys.stdout.flush()
    except BrokenPipeError:  # `nhiemvu search ... | head`
        try:
            sys.stdout = open(os.devnull, "w")
        except OSError:
            pass
    return EXIT_OK if hits else EXIT_NONE


def cmd_export(args: argparse.Namespace) -> int:
    from .export import export

    for p in args.paths:
        if p != "-" and not os.path.isfile(p):
            _err(f"no such file: {p}")
            return EXIT_USAGE
    try:
        n = export(args.paths, args.to, args.output, vietnamese=args.vi)
    except ImportError as e:
        pkg = "openpyxl" if args.to == "xlsx" else "icalendar"
        _err(f"--to {args.to} needs the package {pkg} (pip install 'nhiemvu[export]'): {e}")
        return EXIT_USAGE
    except ValueError as e:
        _err(str(e))
        return EXIT_USAGE
    if not args.quiet:
        print(f"nhiemvu: {n} obligation(s) written to {args.output}", file=sys.stderr)
    return EXIT_OK
