"""--watch: exits per second by reason and per CPU, in the style of kvm_stat."""
import json
import sys
import time

from vmxroot_status.decode import StatusError, exit_reason_name
from vmxroot_status.output import emit
from vmxroot_status.layout import EXIT_OK


def exit_counts(vcpu):
    """{basic reason: count} of one vCPU record, "other" under None."""
    counts = {entry["reason"]: entry["count"] for entry in vcpu["exits"]}
    counts[None] = vcpu["exit_count_other"]
    return counts


def exit_rates(previous, current, seconds):
    """Per vCPU and per reason: (total, per second or None). Slot counts run modulo 2^32."""
    before = {vcpu["index"]: exit_counts(vcpu) for vcpu in previous["vcpus"]} if previous else {}
    rates = []
    for vcpu in current["vcpus"]:
        counts, old = exit_counts(vcpu), before.get(vcpu["index"])
        by_reason = {}
        for reason, count in counts.items():
            per_s = None
            if old is not None and seconds > 0:
                per_s = ((count - old.get(reason, 0)) & 0xFFFFFFFF) / seconds
            by_reason[reason] = (count, per_s)
        rates.append((vcpu, by_reason))
    return rates


def reason_label(reason):
    return "(other reasons)" if reason is None else "%s (%d)" % (exit_reason_name(reason), reason)


def format_rate(per_s):
    return "-" if per_s is None else "%.1f" % per_s


def exit_view(previous, current, seconds):
    """The watch view as a plain dict: the --json line, and what format_exit_view prints."""
    rates = exit_rates(previous, current, seconds)
    reasons = {}
    cpus = []
    for vcpu, by_reason in rates:
        cpu_rate = None if any(per_s is None for _, per_s in by_reason.values()) else 0.0
        for reason, (count, per_s) in by_reason.items():
            total, rate = reasons.get(reason, (0, 0.0))
            reasons[reason] = (total + count, None if per_s is None or rate is None else rate + per_s)
            if cpu_rate is not None:
                cpu_rate += per_s
        busiest = max(((per_s or 0, reason) for reason, (_, per_s) in by_reason.items()), default=(0, None),
                      key=lambda item: (item[0], -(item[1] if item[1] is not None else 1 << 16)))
        cpus.append({"index": vcpu["index"], "state": vcpu["state_name"], "reason": vcpu["reason_name"],
                     "total": vcpu["exit_count_total"], "per_s": cpu_rate,
                     "busiest": reason_label(busiest[1]) if busiest[0] else None, "busiest_per_s": busiest[0],
                     "by_reason": {reason_label(r): {"total": c, "per_s": p} for r, (c, p) in by_reason.items()
                                   if c}})
    ordered = sorted(reasons.items(), key=lambda item: (-(item[1][1] or 0), -item[1][0],
                                                         item[0] if item[0] is not None else 1 << 16))
    return {"time": time.strftime("%H:%M:%S"), "seconds": seconds if previous else None,
            "generation": current["header"]["generation"],
            "vcpus": len(cpus), "reasons": [{"reason": r, "name": reason_label(r), "total": total, "per_s": rate}
                                            for r, (total, rate) in ordered if total],
            "cpus": cpus}


def format_exit_view(view):
    since = "first read" if view["seconds"] is None else "%.2f s since the last read" % view["seconds"]
    lines = ["--- %s  vmxroot exits: %d vCPU%s, %s (generation %d)" % (
        view["time"], view["vcpus"], "" if view["vcpus"] == 1 else "s", since, view["generation"]),
        "%-52s %12s %10s" % ("reason", "total", "/s")]
    total, rate = 0, 0.0
    for entry in view["reasons"]:
        lines.append("%-52s %12d %10s" % (entry["name"], entry["total"], format_rate(entry["per_s"])))
        total += entry["total"]
        rate = None if rate is None or entry["per_s"] is None else rate + entry["per_s"]
    lines.append("%-52s %12d %10s" % ("all", total, format_rate(rate if view["reasons"] else None)))
    lines += ["", "%4s %-13s %-16s %12s %10s  %s" % ("cpu", "state", "reason", "total", "/s", "busiest")]
    for cpu in view["cpus"]:
        lines.append("%4d %-13s %-16s %12d %10s  %s" % (
            cpu["index"], cpu["state"], cpu["reason"], cpu["total"], format_rate(cpu["per_s"]),
            "%s %.1f/s" % (cpu["busiest"], cpu["busiest_per_s"]) if cpu["busiest"] else "-"))
    return "\n".join(lines)


def watch(read, status, args):
    """Re-reads every --interval seconds. With vCPU records: the exit view each time; without (a page
    from before guest launch): the table again whenever the generation changed."""
    deadline = time.monotonic() + args.watch_seconds if args.watch_seconds is not None else None
    previous, previous_time = None, time.monotonic()
    generation = None
    while True:
        now = time.monotonic()
        if "vcpus" in status:
            view = exit_view(previous, status, now - previous_time)
            print(json.dumps(view, sort_keys=True) if args.json else format_exit_view(view))
            sys.stdout.flush()
            previous, previous_time = status, now
        elif status["header"]["generation"] != generation:
            if generation is not None and not args.json:
                print("\n--- %s: generation %d" % (time.strftime("%H:%M:%S"), status["header"]["generation"]))
            generation = status["header"]["generation"]
            emit(status, args.json)
        if deadline is not None and time.monotonic() + args.interval > deadline:
            return EXIT_OK
        time.sleep(args.interval)
        try:
            status = read()
        except StatusError as error:
            print("vmxroot-status: %s" % error, file=sys.stderr)
