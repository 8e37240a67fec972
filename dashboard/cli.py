"""The command line: `pmqa COMMAND`, over the same query functions as the pages."""

from __future__ import annotations

import argparse
import functools
import json
import os
import sys
from pathlib import Path

from dashboard.data import access, contract, db, delta, files, validation
from dashboard.errors import DataError
from dashboard.views import formatting as fmt
from dashboard.views import i18n, sections


def data_dir(arg: str | None) -> Path:
    """--data, else $PMQA_DATA, else the bundled sample."""
    return Path(arg or os.environ.get("PMQA_DATA") or db.SAMPLE_DIR)


def _filters(args, store: db.Store, **extra) -> db.Filters:
    """The command's filters, each value checked against the data (an unknown group is refused,
    never answered with empty rows)."""
    store.require_groups(args.group or ())
    return db.Filters(
        agency_types=tuple(args.agency_type or ()),
        groups=tuple(args.group or ()),
        **extra,
    )


def _note_synthetic(store: db.Store) -> None:
    if store.synthetic:
        print(f"NOTE: {i18n.t('synthetic.banner', 'en')}", file=sys.stderr)


def _open(args) -> db.Store:
    return db.Store(data_dir(args.data), access.operator(), args.version)  # the command line is the operator's


def _require_order(base: int | None, compare: int, compare_flag: str = "--compare") -> None:
    """A base year later than the compare year is refused before any work: every change would
    read backwards (a rise reported as a fall)."""
    if base is not None and base > compare:
        raise DataError(f"--base {base} is later than {compare_flag} {compare}: the base year is the earlier one")


def cmd_summary(args) -> int:
    _require_order(args.base, args.compare)
    store = _open(args)
    result = sections.summary(store, args.base, args.compare, args.like_for_like, _filters(args, store))
    _note_synthetic(store)
    if result["criteria_changed"]:
        print(f"NOTE: {_comparability(result)}", file=sys.stderr)
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        print(format_summary(result, synthetic=store.synthetic))
    return 0


def _pct(value) -> str:
    return f"{fmt.pct(value):>7}"


def _delta(value) -> str:
    return f"{fmt.MISSING if value is None else fmt.signed(value):>6}"


def _comparability(s: dict) -> str:
    return sections.warning(s["criteria_changed"], str(s["base_year"]), str(s["compare_year"]), "en", terse=True)


def format_summary(s: dict, synthetic: bool) -> str:
    """The summary as a table a person reads in a terminal, in English."""
    base, compare = s["base_year"], s["compare_year"]
    lines = [
        "SYNTHETIC SAMPLE DATA" if synthetic else "",
        f"PMQA 4.0: fiscal {i18n.year_label(compare, 'en')} against {i18n.year_label(base, 'en')}"
        + (" (like-for-like)" if s["like_for_like"] else ""),
        f"Agencies with a total: {s['agencies']['base']} in {base}, {s['agencies']['compare']} in {compare}",
        "",
        f"{'category (mean % of the maximum)':<52} {base:>7} {compare:>7} {'pts':>6}  agencies",
    ]
    o = s["overall"]
    for c in s["categories"]:
        name = f"{c['category']} {i18n.category_name(c['category'], 'en')}"
        lines.append(
            f"{name:<52} {_pct(c['base_mean_pct'])} {_pct(c['compare_mean_pct'])} "
            f"{_delta(c['delta_pts'])}  {c['base_agencies']}/{c['compare_agencies']}"
        )
    lines += [
        f"{'All categories (mean total %)':<52} {_pct(o['base_mean_pct'])} {_pct(o['compare_mean_pct'])} "
        f"{_delta(o['delta_pts'])}",
        "",
        f"Strongest in {compare}: categories {', '.join(map(str, s['strongest'])) or '—'}",
        f"Weakest in {compare}: category {s['weakest'] or '—'}",
    ]
    if s["criteria_changed"]:
        lines.append(f"Caution: {_comparability(s)}")
    return "\n".join(lines).lstrip("\n")


def cmd_export(args) -> int:
    from dashboard.outputs import export  # each command imports what it needs: `summary` stays light

    export.check_target(Path(args.out), data_dir(args.data))  # before any work, so a typo costs nothing
    out = files.output_path(args.out, args.force)
    store = _open(args)
    filters = _filters(args, store, years=tuple(args.year or ()), categories=tuple(args.category or ()))
    bad = [c for c in filters.categories if c not in range(1, 8)]
    if bad:
        raise DataError(f"category {bad[0]} is outside 1–7")
    about = export.describe(filters, args.level, store.version_label, store.synthetic)
    reading = sections.reading(store, args.level, filters, args.lang) if out.suffix.lower() == ".xlsx" else None
    if reading is None:  # CSV and Parquet: DuckDB's COPY from the kept file, checked and recorded by sections.copied
        copied = functools.partial(sections.copied, store, args.level, filters, via="cli", out=out.name)
        count = export.write_copied(copied, out, about)
    else:
        with sections.rows(store, args.level, filters, via="cli", out=out.name) as rows:  # checked and recorded there
            count = export.write(rows, out, about, reading)
    _note_synthetic(store)
    print(f"wrote {count:,} rows to {out}" + ("" if count else " (no rows match the filters)"))
    return 0


def _scenarios(args) -> tuple:
    """The brief's scenarios (issue 18): each --proposal, with the one --indicators file."""
    from dashboard.data import proposal
    from dashboard.outputs import brief

    if args.indicators and not args.proposal:
        raise DataError("--indicators feeds the criteria of a --proposal: give the proposal too")
    indicators = proposal.read_indicators(Path(args.indicators)) if args.indicators else proposal.NO_INDICATORS
    return tuple(brief.Scenario(proposal.read(Path(p)), indicators) for p in args.proposal or ())


def cmd_brief(args) -> int:
    from dashboard.outputs import brief, images, pack  # a brief needs pandas, Plotly and a browser: only here

    _require_order(args.base, args.compare)
    if not 0 <= args.threshold <= 100:  # refused before any work, as the views would refuse it later
        raise DataError(f"the threshold is a percentage of the maximum score, from 0 to 100, not {args.threshold}")
    pack.check_target(Path(args.out))  # before any work, so a typo costs nothing
    out = files.output_path(args.out, args.force)
    if out.resolve().is_relative_to(data_dir(args.data).resolve()):
        raise DataError(f"{out} is inside the data folder {data_dir(args.data)}; write the brief somewhere else")
    scenarios = _scenarios(args)  # a malformed proposal is refused before any work too
    store = _open(args)
    selection = brief.Selection(
        base=args.base,
        compare=args.compare,
        filters=_filters(args, store),
        like_for_like=args.like_for_like,
        lang=args.lang,
        threshold=args.threshold,
    )
    store.require_years(args.base, args.compare)
    for scenario in scenarios:  # each checked against the compare year: its levels, criteria, sources
        sections.scenario_params(store, args.compare, scenario.proposal, scenario.indicators)
    if Path(args.out).suffix.lower() in (".pdf", ".pptx"):
        images.warm_up()  # the request is sound: chromium starts (about 2 s) while the data is read

    def progress(fraction: float, text: str) -> None:
        print(f"[{fraction:4.0%}] {text}", file=sys.stderr, flush=True)

    pack.make(store, selection, out, progress, scenarios)
    _note_synthetic(store)
    print(f"wrote the brief to {out}")
    return 0


# The command's JSON keys, as issue 17 gives them: the views' reason and cut points are the page's.
CRITERION_KEYS = (
    "criterion",
    "category",
    "name",
    "assessed",
    "mean_pct",
    "below_share",
    "ceiling_share",
    "discrimination",
    "flag",
    "base_mean_pct",
    "delta_pts",
)


def cmd_criteria(args) -> int:
    if args.below != (args.criterion is not None):
        raise DataError("--criterion C and --below go together: they list the agencies below the threshold on C")
    _require_order(args.base, args.year, "--year")
    store = _open(args)
    filters = _filters(args, store)
    if args.below:
        found = sections.agencies_below(store, args.year, args.criterion, args.threshold, args.base, filters)
        text = format_below(found)
    else:
        found = sections.workbench(store, args.year, args.base, args.threshold, filters, "en")
        text = format_criteria(found)
        found = {
            "year": found["year"],
            "threshold": found["threshold"],
            "criteria": [{k: c[k] for k in CRITERION_KEYS} for c in found["criteria"]],
            "categories": found["categories"],
            "redundant_pairs": found["redundant_pairs"],
        }
    _note_synthetic(store)
    # names come from the data: escaped, so no name can drive the terminal
    print(contract.printable_json(json.dumps(found, ensure_ascii=False, indent=2)) if args.json else text)
    return 0


def cmd_whatif(args) -> int:
    from dashboard import whatif_cli
    from dashboard.data import proposal

    asked = proposal.read(Path(args.proposal))  # a malformed proposal is refused before the data is opened
    store = _open(args)
    return whatif_cli.run(args, asked, store, _filters(args, store), _note_synthetic)


def _r(value) -> str:
    return f"{fmt.MISSING if value is None else f'{value:.2f}':>6}"


def _flag(flag: str) -> str:
    return i18n.t(f"criteria.flag.{flag}", "en")


def format_criteria(w: dict) -> str:
    """The workbench as a table a person reads in a terminal, in English."""
    base = w["base"]
    cuts = w["cuts"]
    lines = [
        f"PMQA 4.0 criteria, fiscal {i18n.year_label(w['year'], 'en')}"
        + ("" if base is None else f" against {i18n.year_label(base, 'en')}")
        + f": below means under {w['threshold']}% of the criterion's maximum",
        "",
        f"{'criterion':<10} {'assessed':>8} {'mean %':>7} {'below':>7} {'at max':>7} {'r':>6}  {'flag':<10}"
        + ("" if base is None else f" {base:>7} {'pts':>6}")
        + "  name",
    ]
    for c in w["criteria"]:
        lines.append(
            f"{c['criterion']:<10} {c['assessed']:>8} {_pct(c['mean_pct'])} {_pct(c['below_share'])} "
            f"{_pct(c['ceiling_share'])} {_r(c['discrimination'])}  {_flag(c['flag']):<10}"
            + ("" if base is None else f" {_pct(c['base_mean_pct'])} {_delta(c['delta_pts'])}")
            + f"  {contract.printable(c['name'])}"
        )
    alphas = ", ".join(f"{a['category']}: {_r(a['alpha']).strip()} ({a['agencies']})" for a in w["categories"])
    pairs = ", ".join(f"{p['a']} & {p['b']} (r {p['r']:.2f})" for p in w["redundant_pairs"]) or "none"
    lines += [
        "",
        f"Category alpha (agencies assessed on all its criteria): {alphas or fmt.MISSING}",
        f"Redundant pairs (r >= {cuts['redundant_r']}): {pairs}",
        f"r: correlation with the agency's total over its other criteria. Flags, the first that applies: "
        f"saturated (at max >= {cuts['saturated_share']}%), redundant, hard (below >= {cuts['hard_share']}% "
        f"and r >= {cuts['discrimination_cut']}), unclear (below >= {cuts['hard_share']}%, r lower or none).",
    ]
    return "\n".join(lines)


def format_below(found: dict) -> str:
    """The agencies below a criterion as a table a person reads in a terminal, in English."""
    agencies = found["agencies"]
    lines = [
        f"{len(agencies)} agencies below {found['threshold']}% on criterion {contract.printable(found['criterion'])}, "
        f"fiscal {i18n.year_label(found['year'], 'en')}, the lowest first",
    ]
    if agencies:
        lines += [
            "",
            f"{'code':<10} {'score / max':>13} {'crit. %':>7} {'base %':>7} {'total %':>7}  type, group, name",
        ]
    for a in agencies:
        lines.append(
            f"{contract.printable(a['agency_code']):<10} {fmt.score(a['score'], a['max_score']):>13} "
            f"{_pct(a['pct'])} {_pct(a['base_pct'])} {_pct(a['total_pct'])}  "
            + ", ".join(
                [
                    i18n.t("type." + a["agency_type"], "en"),
                    *map(contract.printable, (a["agency_group"], a["agency_name"])),
                ]
            )
        )
    return "\n".join(lines)


def cmd_validate(args) -> int:
    report = validation.validate(Path(args.dir), args.version)
    if report.ok:
        what = f"store version {report.version}, " if report.version is not None else ""
        print(
            f"OK: {report.data_dir} meets the data contract ({what}{len(report.files)} Parquet files)"
            + (" [synthetic sample]" if report.synthetic else "")
        )
        return 0
    for problem in report.problems:
        print(problem)
    shown = len(report.problems)
    if report.total_problems > shown:
        print(f"… and {report.total_problems - shown} more problems")
    print(f"{report.total_problems} problem(s): {report.data_dir} does not meet the data contract", file=sys.stderr)
    return 1


def cmd_import(args) -> int:
    from dashboard.data import actions, importer

    target = Path(args.data)
    if not delta.is_store(target) and not delta.is_empty_folder(target):
        raise DataError(delta.not_a_store_message(target))
    prepared = importer.prepare([Path(f) for f in args.files], target, args.year, args.sheet)
    for notice in prepared.notices:
        print(f"note: {notice}", file=sys.stderr)
    if not prepared.ok:
        for problem in prepared.problems[: validation.MAX_PROBLEMS]:
            print(problem)
        more = prepared.total_problems - min(len(prepared.problems), validation.MAX_PROBLEMS)
        if more > 0:
            print(f"… and {more} more problems")
        print(f"{max(prepared.total_problems, 1)} problem(s): nothing was written to {target}", file=sys.stderr)
        return 1
    done = prepared.summary()
    sources = [Path(f).name for f in args.files]
    for line in actions.import_prepared(prepared, target, args.replace, access.operator(), "cli", sources):
        print(line)
    print(
        f"imported fiscal year(s) {', '.join(map(str, done['years']))}: {done['agencies']} agencies, "
        f"{done['rows']:,} rows into {target}"
    )
    return 0


def cmd_history(args) -> int:
    from dashboard.data import actions

    entries = actions.history(Path(args.data), access.operator())
    if args.json:  # file names and users are stored as given: escaped here, not in the store
        print(contract.printable_json(json.dumps(entries, ensure_ascii=False, indent=2)))
        return 0
    for e in entries:
        print(sections.history_line(e))
    return 0


def cmd_restore(args) -> int:
    from dashboard.data import actions

    version = actions.restore(Path(args.data), args.version, access.operator(), "cli")
    print(f"restored version {args.version} of {args.data} as the current version {version}")
    return 0


def cmd_sample(args) -> int:
    from dashboard.data import sample

    out = Path(args.out)
    if delta.is_store(out):
        raise DataError(f"{out} is a store; the sample is a folder of exports: choose an empty folder")
    if out.is_dir() and any(out.iterdir()) and not args.force and out.resolve() != db.SAMPLE_DIR:
        raise DataError(f"{out} is not empty; choose an empty folder or add --force to write the sample into it")
    for path in sample.write(out, args.seed):
        print(f"wrote {path}")
    return 0


def cmd_run(args) -> int:
    from dashboard.app import auth_config  # no Streamlit: checks files and the environment only
    from dashboard.data import audit

    app = Path(__file__).resolve().parent / "app" / "launch.py"  # the app behind the server's own guard
    env = os.environ | {"PMQA_DATA": str(data_dir(args.data).resolve())}
    secrets = auth_config.find(args.auth)
    if isinstance(secrets, Path) and (warning := auth_config.exposed(secrets)):
        print(warning, file=sys.stderr)
    if secrets is None and not args.no_auth and not auth_config.is_loopback(args.address):
        raise DataError(
            f"refusing to listen on {args.address} without sign-in: anyone who reaches it would see every "
            "result. Configure sign-in (--auth FILE or the PMQA_OIDC_* variables, see the README), "
            "or add --no-auth to accept that"
        )
    argv = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(app),
        "--server.port",
        str(args.port),
        "--server.headless",
        "true",
        "--server.address",
        args.address,
    ]
    env["PMQA_AUTH_FROM_ENV"] = "1" if secrets == auth_config.ENVIRONMENT else "0"
    if args.audit_dir:
        env["PMQA_AUDIT_DIR"] = str(Path(args.audit_dir).resolve())
    if secrets is not None:
        roles = Path(args.roles or env.get("PMQA_ROLES") or auth_config.need_roles()).resolve()
        access.load_roles(roles)  # a broken roles file is refused now, not at the first sign-in
        audit_dir = env.get("PMQA_AUDIT_DIR") or str(audit.folder())
        env |= {"PMQA_AUTH": "1", "PMQA_ROLES": str(roles), "PMQA_AUDIT_DIR": audit_dir}
        if secrets != auth_config.ENVIRONMENT:  # a file (the variables reach Streamlit through launch.py, in no file)
            argv += ["--secrets.files", str(secrets)]
        print(f"sign-in on ({secrets}); roles {roles}; audit log in {audit_dir}", file=sys.stderr)
    else:
        ignored = " (--roles applies only with sign-in)" if args.roles else ""
        print(f"sign-in off: whoever reaches {args.address} sees every result{ignored}", file=sys.stderr)
    if args.allow_import:
        env["PMQA_ALLOW_IMPORT"] = "1"
    if args.version is not None:
        env["PMQA_VERSION"] = str(args.version)
    os.chdir(db.ROOT)  # where .streamlit/config.toml (theme, Thai font, static files) is read
    os.execve(sys.executable, argv, env)
    return 0  # not reached


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="pmqa",
        description="PMQA 4.0 results: dashboard and tools. The commands are for the operator of this machine: "
        "they read and write every agency's data without sign-in; the dashboard's sign-in and roles "
        "(run --auth, --roles) govern what the app's users see.",
    )
    sub = p.add_subparsers(dest="command", required=True)

    def with_data(sp):
        sp.add_argument(
            "--data",
            metavar="DIR",
            help="a store, or a folder of Parquet exports (default: $PMQA_DATA, else the sample)",
        )
        sp.add_argument("--version", type=int, metavar="N", help="read version N of a store (see `history`)")
        return sp

    def with_slice(sp):
        sp.add_argument("--agency-type", action="append", choices=contract.AGENCY_TYPES)
        sp.add_argument("--group", action="append", metavar="G", help="ministry or cluster, as its Thai name")
        return sp

    run = with_data(sub.add_parser("run", help="start the dashboard"))
    run.add_argument("--port", type=int, default=8501)
    run.add_argument("--address", default="127.0.0.1", help="the address to listen on (default: this machine only)")
    run.add_argument("--allow-import", action="store_true", help="let the Import page write to the data folder")
    run.add_argument("--auth", metavar="FILE", help="sign-in settings: a TOML file with an [auth] section (see README)")
    run.add_argument("--roles", metavar="FILE", help="who may see what, with sign-in on (default: $PMQA_ROLES)")
    run.add_argument("--audit-dir", metavar="DIR", help="where audit.jsonl is appended (default: $PMQA_AUDIT_DIR)")
    run.add_argument("--no-auth", action="store_true", help="listen beyond this machine without sign-in (not advised)")
    run.set_defaults(func=cmd_run)

    s = with_slice(with_data(sub.add_parser("summary", help="one year against another, by category")))
    s.add_argument("--base", type=int, required=True, metavar="YEAR", help="base fiscal year, B.E.")
    s.add_argument("--compare", type=int, required=True, metavar="YEAR", help="compare fiscal year, B.E.")
    s.add_argument("--like-for-like", action="store_true", help="only agencies with a value in both years")
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=cmd_summary)

    e = with_slice(with_data(sub.add_parser("export", help="write the filtered table as CSV, XLSX or Parquet")))
    e.add_argument("--out", required=True, metavar="FILE", help="the extension picks the format")
    e.add_argument("--year", type=int, action="append", metavar="Y")
    e.add_argument("--category", type=int, action="append", metavar="C")
    e.add_argument("--level", choices=("agency", "criterion"), default="agency")
    e.add_argument(
        "--lang",
        choices=("th", "en"),
        default="th",
        help="an XLSX's headers, agency types and about sheet (default: Thai); CSV and Parquet keep the codes",
    )
    e.add_argument("--force", action="store_true", help="replace FILE if it exists")
    e.set_defaults(func=cmd_export)

    b = with_slice(with_data(sub.add_parser("brief", help="the meeting pack: a brief as PDF, PowerPoint or Excel")))
    b.add_argument("--base", type=int, required=True, metavar="YEAR", help="base fiscal year, B.E.")
    b.add_argument("--compare", type=int, required=True, metavar="YEAR", help="compare fiscal year, B.E.")
    b.add_argument("--like-for-like", action="store_true", help="only agencies with a value in both years")
    b.add_argument("--lang", choices=("th", "en"), default="th", help="the brief's language (default: Thai)")
    b.add_argument("--threshold", type=int, default=50, metavar="PCT", help="below this %% of a criterion's maximum")
    b.add_argument("--out", required=True, metavar="FILE", help="FILE.pdf, FILE.pptx or FILE.xlsx")
    b.add_argument("--force", action="store_true", help="replace FILE if it exists")
    b.add_argument(
        "--proposal",
        action="append",
        metavar="P.json",
        help="carry a revision scenario in the compare year (repeatable)",
    )
    b.add_argument("--indicators", metavar="FILE", help="candidate indicators for the proposals (.csv or .xlsx)")
    b.set_defaults(func=cmd_brief)

    c = with_slice(
        with_data(sub.add_parser("criteria", help="which criteria agencies cannot meet or seem not to understand"))
    )
    c.add_argument("--year", type=int, required=True, metavar="YEAR", help="fiscal year, B.E.")
    c.add_argument("--base", type=int, metavar="YEAR", help="base fiscal year, B.E., to compare with")
    c.add_argument("--threshold", type=int, default=50, metavar="PCT", help="'below': under this %% of a maximum")
    c.add_argument("--criterion", metavar="C", help="with --below: the criterion whose agencies to list")
    c.add_argument("--below", action="store_true", help="list the agencies below the threshold on --criterion")
    c.add_argument("--json", action="store_true")
    c.set_defaults(func=cmd_criteria)

    from dashboard import whatif_cli

    whatif_cli.add_parser(sub, with_data, with_slice, cmd_whatif)

    v = sub.add_parser("validate", help="check a store or a folder of exports against the data contract")
    v.add_argument("dir", metavar="DIR")
    v.add_argument("--version", type=int, metavar="N", help="check version N of a store")
    v.set_defaults(func=cmd_validate)

    im = sub.add_parser("import", help="bring CSV, XLSX or Parquet results into a store, in one version")
    im.add_argument("files", nargs="+", metavar="FILE", help=".csv (UTF-8, UTF-16 or TIS-620/cp874), .xlsx or .parquet")
    im.add_argument("--data", required=True, metavar="DIR", help="the store (made when DIR is new or empty)")
    im.add_argument("--year", type=int, metavar="YEAR", help="fiscal year (B.E.) for files without that column")
    im.add_argument("--sheet", metavar="NAME", help="read only this sheet of an XLSX file")
    im.add_argument("--replace", action="store_true", help="replace years already in the store (kept in its history)")
    im.set_defaults(func=cmd_import)

    h = sub.add_parser("history", help="the versions of a store: what each import or restore changed")
    h.add_argument("--data", required=True, metavar="DIR")
    h.add_argument("--json", action="store_true")
    h.set_defaults(func=cmd_history)

    r = sub.add_parser("restore", help="make an earlier version of a store current again, as a new version")
    r.add_argument("--data", required=True, metavar="DIR")
    r.add_argument("--version", type=int, required=True, metavar="N")
    r.set_defaults(func=cmd_restore)

    g = sub.add_parser("sample", help="regenerate the synthetic sample")
    g.add_argument("--out", default=str(db.SAMPLE_DIR), metavar="DIR")
    g.add_argument("--seed", type=int, default=2565)
    g.add_argument("--force", action="store_true", help="write into a folder that is not empty")
    g.set_defaults(func=cmd_sample)
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.func(args)
    except DataError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except BrokenPipeError:  # the reader (`| head`) closed the pipe: nothing more to say
        sys.stderr.close()
        return 0
    except OSError as exc:  # a folder that cannot be written, a disk that is full: say so, plainly
        print(f"error: {exc.strerror or exc}: {exc.filename or ''}".rstrip(": "), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        landed = delta.landed_version()  # Ctrl-C can come after the commit: then the change is in the store
        print(
            f"interrupted, but the change had landed: it is version {landed} of the store"
            if landed is not None
            else "interrupted: nothing was left half-written (`history` shows whether an import landed)",
            file=sys.stderr,
        )
        return 130
