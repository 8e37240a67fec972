"""`pmqa whatif`: what a proposed scheme would do to every agency's level (issue 18), over the same
views as the Scenarios page. Kept beside cli.py, which registers it, so that module stays readable."""

from __future__ import annotations

import json
import sys

from dashboard.data import contract, proposal
from dashboard.views import formatting as fmt
from dashboard.views import i18n, sections

JSON_KEYS = ("year", "proposal", "levels", "changes", "indicators")


def add_parser(sub, with_data, with_slice, run) -> None:
    w = with_slice(with_data(sub.add_parser("whatif", help="what a proposed scheme would do to every agency's level")))
    w.add_argument("--year", type=int, required=True, metavar="YEAR", help="fiscal year, B.E.")
    w.add_argument("--proposal", required=True, metavar="P.json", help="the proposal (see README: revision scenarios)")
    w.add_argument(
        "--indicators",
        metavar="FILE",
        help="candidate indicators, .csv or .xlsx: agency_code, fiscal_year, indicator, value",
    )
    w.add_argument("--json", action="store_true")
    w.set_defaults(func=run)


def _pct(value) -> str:
    return f"{fmt.MISSING if value is None else f'{value:.1f}':>6}"


def _r(value) -> str:
    return f"{fmt.MISSING if value is None else f'{value:.2f}':>6}"


def _level(code: str | None, labels: dict) -> str:
    return fmt.MISSING if code is None else labels.get(code, code)


def format_whatif(s: dict) -> str:
    """A scenario as a terminal reads it, in English."""
    labels = {lv["level"]: lv["label"] or i18n.t("level.below", "en") for lv in s["levels"]}
    # names come from the data and the user's files: escaped, so no name can drive the terminal
    name, file = contract.printable(s["proposal"]["name"]), contract.printable(s["proposal"]["file"])
    lines = [f"PMQA 4.0 scenario {name!r} ({file}), fiscal {i18n.year_label(s['year'], 'en')}", ""]
    lines.append(f"{'level':<16} {'now':>6} {'proposed':>9} {'change':>7}")
    for lv in s["levels"]:
        change = lv["proposed"] - lv["current"]
        lines.append(f"{labels[lv['level']]:<16} {lv['current']:>6} {lv['proposed']:>9} {change:>+7}")
    lines += ["", f"{'category':<9} {'mean now':>9} {'proposed':>9} {'pts':>7}"]
    for c in s["categories"]:
        delta = fmt.MISSING if c["delta_pts"] is None else f"{c['delta_pts']:+.1f}"
        now, proposed = _pct(c["current_mean_pct"]), _pct(c["proposed_mean_pct"])
        lines.append(f"{c['category']:<9} {now:>9} {proposed:>9} {delta:>7}")
    if s["indicators"]:
        lines += ["", f"{'indicator':<24} {'agencies':>8} {'mean':>6} {'r cat 7':>7} {'r total':>7} {'discr.':>7}"]
        for ind in s["indicators"]:
            lines.append(
                f"{contract.printable(ind['indicator'])[:24]:<24} {ind['agencies']:>8} {_pct(ind['mean'])} "
                f"{_r(ind['corr_category_7']):>7} {_r(ind['corr_total']):>7} {_r(ind['discrimination']):>7}"
            )
    lines += ["", f"{len(s['changes'])} agencies change level:"]
    for a in s["changes"]:
        lines.append(
            f"{contract.printable(a['agency_code']):<10} {_level(a['current_level'], labels):>12}"
            f" -> {_level(a['proposed_level'], labels):<12}"
            f" {_pct(a['current_pct'])} -> {_pct(a['proposed_pct'])}  {contract.printable(a['agency_name'])}"
        )
    return "\n".join(lines)


def notice_line(n: dict) -> str:
    return i18n.t(f"scenarios.notice.{n['notice']}", "en", **{k: v for k, v in n.items() if k != "notice"})


def run(args, asked: proposal.Proposal, store, filters, note_synthetic) -> int:
    indicators = proposal.read_indicators(args.indicators) if args.indicators else proposal.NO_INDICATORS
    found = sections.scenario(store, args.year, asked, indicators, filters, "en")
    note_synthetic(store)
    for n in found["notices"]:
        print(f"NOTE: {notice_line(n)}", file=sys.stderr)
    if args.json:  # escaped like the text: no name from a file can drive the terminal
        print(contract.printable_json(json.dumps({k: found[k] for k in JSON_KEYS}, ensure_ascii=False, indent=2)))
    else:
        print(format_whatif(found))
    return 0
