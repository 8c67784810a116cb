"""Command line: argument parsing and exit codes only.

Exit codes: 0 every input succeeded; 1 some inputs failed (each has an error
record in the output); 2 usage error; 130 interrupted.
"""
from __future__ import annotations

import argparse
import os
import sys

EXIT_OK, EXIT_SOME_FAILED, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130

EXTRACT_EPILOG = """examples:
  nhiemvu extract samples/                       every letter under samples/, JSONL on stdout
  nhiemvu extract cv_493.txt -o out.jsonl        one file into out.jsonl (written atomically)
  nhiemvu extract letters/ --flat -o tasks.jsonl one line per obligation
  cat cv.txt | nhiemvu extract -                 standard input
  nhiemvu extract big/ -o out.jsonl --resume     continue a run that was stopped
  nhiemvu extract big/ -o out.jsonl -j 8 --timeout 30 --max-size 5M
  nhiemvu extract /shared/letters -o out.jsonl --dask tcp://scheduler:8786

exit status: 0 all inputs succeeded, 1 some inputs failed (see their error
records), 2 usage error, 130 interrupted."""


def _size(s: str) -> int:
    s = s.strip().upper()
    mult = 1
    for suf, m in (("K", 1024), ("M", 1024**2), ("G", 1024**3)):
        if s.endswith(suf + "B") or s.endswith(suf):
            mult, s = m, s.rstrip("B")[:-1]
            break
    try:
        return int(float(s) * mult)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a size: {s!r} (e.g. 20M)") from None


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="nhiemvu",
        description="Extract trackable tasks from Vietnamese directive texts (công văn, chỉ thị, "
        "công điện, thông báo kết luận, news reports of them) as nhiemvu/1 JSONL.",
    )
    parser.add_argument("--version", action="version", version="nhiemvu 0.1.0 (schema nhiemvu/1)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    ex = sub.add_parser(
        "extract",
        help="extract obligations from files, folders or standard input",
        description="Read directive texts and write one nhiemvu/1 JSON record per document (SPEC §2).",
        epilog=EXTRACT_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    ex.add_argument("paths", nargs="+", metavar="PATH",
                    help="a file (.txt, .html, .docx, .pdf), a folder (read recursively), or - for standard input")
    ex.add_argument("-o", "--output", metavar="OUT.jsonl",
                    help="write here instead of stdout; written to OUT.jsonl.part and renamed when done")
    ex.add_argument("--flat", action="store_true",
                    help="one line per obligation, each with the document's id, number, issuer, issued_date, source")
    ex.add_argument("--with-text", action="store_true",
                    help="add the normalised text as key 'text' so every span can be checked")
    ex.add_argument("--explain", action="store_true",
                    help="add 'provenance' (rule or model, confidence) to every extraction")
    ex.add_argument("-j", "--jobs", type=int, default=0, metavar="N",
                    help="documents processed in parallel (default: all cores); output stays in input order")
    ex.add_argument("--resume", action="store_true",
                    help="with -o: skip inputs already in OUT.jsonl (or its .part) and append the rest")
    ex.add_argument("--max-size", type=_size, default=None, metavar="SIZE",
                    help="largest input file, e.g. 20M (default 20M); larger ones get a too_large error record")
    ex.add_argument("--timeout", type=float, default=None, metavar="SECONDS",
                    help="time budget per document (default 60; 0 = none); past it the document gets a "
                    "timeout error record and the batch goes on")
    ex.add_argument("--dask", metavar="ADDRESS",
                    help="run the documents on a Dask cluster, e.g. tcp://scheduler:8786 (needs "
                    "nhiemvu[dask]; the workers must see the input paths)")
    ex.add_argument("-q", "--quiet", action="store_true", help="no progress bar or summary on stderr")
    return parser


def cmd_extract(args: argparse.Namespace) -> int:
    from . import _recache

    _recache.enable()  # compiled patterns from the last run: most of the time to the first record
    from . import batch

    if args.resume and not args.output:
        print("nhiemvu: --resume needs -o OUT.jsonl", file=sys.stderr)
        return EXIT_USAGE
    if args.dask and batch.STDIN in args.paths:
        print("nhiemvu: --dask reads files on the cluster; standard input (-) cannot be sent there", file=sys.stderr)
        return EXIT_USAGE
    timeout = batch.DEFAULT_TIMEOUT if args.timeout is None else (args.timeout or None)
    opts = batch.Options(with_text=args.with_text, flat=args.flat, explain=args.explain,
                         max_bytes=args.max_size, timeout=timeout)
    jobs = args.jobs if args.jobs > 0 else (os.cpu_count() or 1)
    done = batch.read_done(args.output) if args.resume else set()
    if args.dask:
        try:
            from .dask import run_dask
        except ImportError as e:
            print(f"nhiemvu: --dask needs dask.distributed: pip install 'nhiemvu[dask]' ({e})", file=sys.stderr)
            return EXIT_USAGE
        docs = run_dask(args.paths, opts, args.dask, done=done)
    else:
        docs = batch.run_docs(args.paths, opts, jobs=jobs, done=done)
    try:
        writer = batch.AtomicWriter(args.output, resume=args.resume) if args.output else None
    except OSError as e:
        print(f"nhiemvu: cannot write {args.output}: {e.strerror or e}", file=sys.stderr)
        return EXIT_USAGE
    out = writer.write if writer else sys.stdout.write
    # a progress bar only on a terminal, only when the records go to a file (-o)
    progress = None
    if writer and not args.quiet and sys.stderr.isatty():
        progress = batch.Progress(sys.stderr)
        progress.count_in_background(args.paths, done)
    failed = ok = 0
    try:
        for d in docs:
            if d.failed:
                failed += 1
            else:
                ok += 1
            out("".join(batch.dumps(r) for r in d.records))  # one document, one write
            if not writer:
                sys.stdout.flush()
            if ok + failed == 1:
                _recache.save()  # the patterns are all compiled by now: keep them for the next run
            if progress:
                progress.update(d.nbytes, d.failed)
    except KeyboardInterrupt:
        if writer:
            writer.fh.flush()
        if progress:
            progress.close()
        return EXIT_INTERRUPTED
    except BrokenPipeError:  # `nhiemvu extract ... | head`
        try:
            sys.stdout = open(os.devnull, "w")
        except OSError:
            pass
        return EXIT_OK if not failed else EXIT_SOME_FAILED
    finally:
        close = getattr(docs, "close", None)
        if close:
            close()  # stop workers / release the cluster client
    if progress:
        progress.close()
    if writer:
        writer.close()
    _recache.save()
    if not args.quiet and (failed or writer):
        print(f"nhiemvu: {ok} document(s) done, {failed} input(s) failed", file=sys.stderr)
    return EXIT_SOME_FAILED if failed else EXIT_OK


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    try:
        from . import cli_store  # index / search / export, when present
    except ImportError:
        cli_store = None
    if cli_store is not None:
        cli_store.add_subcommands(parser._subparsers._group_actions[0])  # type: ignore[attr-defined]
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return EXIT_USAGE
    if args.command == "extract":
        return cmd_extract(args)
    return args.func(args)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
