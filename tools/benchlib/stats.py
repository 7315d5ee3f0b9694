"""Statistics over samples: medians and spreads, ratios of runs paired by round."""
import statistics


def spread(values):
    """(median, min, max) of the values that are not None, or None."""
    values = [v for v in values if v is not None]
    if not values:
        return None
    return statistics.median(values), min(values), max(values)


def paired_ratios(samples, numerator, denominator, field):
    """Ratios numerator/denominator of one field, one per round in which both ran."""
    by_round = {s.round: s for s in denominator if s.ok}
    ratios = []
    for s in numerator:
        d = by_round.get(s.round)
        if s.ok and d and getattr(s, field) is not None and getattr(d, field):
            ratios.append(getattr(s, field) / getattr(d, field))
    return ratios


def fmt_spread(values, scale=1.0, digits=2):
    s = spread([v * scale if v is not None else None for v in values])
    if s is None:
        return "-"
    med, lo, hi = s
    if len([v for v in values if v is not None]) == 1:
        return "%.*f" % (digits, med)
    return "%.*f [%.*f-%.*f]" % (digits, med, digits, lo, digits, hi)


def fmt_ratio(ratios, digits=2):
    return fmt_spread(ratios, digits=digits) + ("x" if ratios else "")


def select(samples, emulator, smp=None, mode=None):
    return [s for s in samples if s.emulator == emulator and (smp is None or s.smp == smp)
            and (mode is None or s.mode == mode)]


def ok_count(group):
    return "%d/%d" % (sum(1 for s in group if s.ready_s is not None and s.ok), len(group))
