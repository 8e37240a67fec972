"""The short generated summary: words around numbers that all come from the query layer."""

from __future__ import annotations

from dashboard.views.i18n import t, year_label


def join_list(items: list, lang: str) -> str:
    """1, 4 and 6 / 1, 4 และ 6."""
    items = [str(i) for i in items]
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {t('word.and', lang)} {items[-1]}"


def summary_text(s: dict, lang: str) -> str:
    """Two or three sentences on a year pair, from sections.summary's result; with a caution when
    the criteria changed between the two years."""
    delta = s["overall"]["delta_pts"]
    if delta is None:
        return t("narrative.no_pair", lang)
    years = dict(base=year_label(s["base_year"], lang), compare=year_label(s["compare_year"], lang))
    direction = "rose" if delta >= 0.05 else "fell" if delta <= -0.05 else "flat"
    parts = [t(f"narrative.{direction}", lang, delta=f"{abs(delta):.1f}", **years)]
    if s["strongest"]:
        parts.append(t("narrative.strongest", lang, categories=join_list(s["strongest"], lang)))
    if s["weakest"] is not None:
        parts.append(t("narrative.weakest", lang, category=s["weakest"]))
    if s["like_for_like"]:
        parts.append(t("narrative.like_for_like", lang))
    if s.get("criteria_changed"):
        parts.append(t("narrative.criteria_changed", lang, n=len(s["criteria_changed"])))
    return " ".join(parts)


def lowest_note(lowest, threshold: int, lang: str) -> str:
    """What the list of lowest criteria says about "most": the criteria on which more than half of
    the agencies assessed are below `threshold`, or that there is none. The list itself is only the
    largest shares below, and a largest share can be small (issue 19: 2.1.1 at 7.9 %)."""
    if len(lowest) == 0:
        return ""
    pairs = zip(lowest["criterion"], lowest["share_below_pct"], strict=True)
    most = [str(c) for c, share in pairs if (share or 0) > 50]  # no agency assessed (None) is not most
    if not most:
        return t("lowest.most_none", lang, threshold=threshold)
    return t("lowest.most", lang, threshold=threshold, n=len(most), criteria=join_list(most, lang))
