"""The table and JSON output."""
import json
import sys

from vmxroot_status.layout import CPU_FLAGS_SHORT


def format_errors(cpu):
    parts = []
    if cpu["vmfail_invalid_count"]:
        parts.append("VMfailInvalid x%d" % cpu["vmfail_invalid_count"])
    for entry in cpu["vmfail_valid_by_error"]:
        parts.append("%s(%d) x%d%s" % (entry["name"], entry["error"], entry["count"],
                                       "+" if entry["saturated"] else ""))
    return ", ".join(parts) or "-"


def format_table(status):
    h = status["header"]
    source = status["source"]
    where = source.get("address", source.get("offset", 0))
    lines = [
        "vmxroot status page %d.%d at 0x%x (%d page%s, generation %d, checksum ok) from %s" % (
            h["version_major"], h["version_minor"], h["page_phys"], h["page_count"],
            "" if h["page_count"] == 1 else "s", h["generation"], source["kind"]
            + (" %s" % source["file"] if "file" in source else "") + (" @0x%x" % where)),
        "boot:      phase %s, %s, %s%s" % (
            h["boot_phase_name"], "UEFI" if "uefi" in h["boot_flag_names"] else "BIOS",
            "x2APIC" if "x2apic" in h["boot_flag_names"] else "xAPIC",
            "".join(", " + f for f in h["boot_flag_names"] if f not in ("uefi", "x2apic"))),
        "cpus:      %d found, %d online, %d in VMX root" % (h["cpus_found"], h["cpus_online"], h["cpus_vmx_root"]),
        "timing:    TSC %d kHz, bring-up %d us, entry to ready %d us" % (
            h["tsc_khz"], h["bringup_time_us"], h["entry_to_ready_us"]),
        "vmx:       revision 0x%x, %s; IA32_VMX_BASIC 0x%x, EPT/VPID cap 0x%x" % (
            h["vmx_revision_id"], " ".join(h["vmx_feature_names"]) or "no VMX", h["vmx_basic_msr"],
            h["vmx_ept_vpid_cap_msr"]),
        "vmcs pool: %d free of %d (%d per CPU); memory per CPU %d bytes" % (
            h["vmcs_pool_free"], h["vmcs_pool_total"], h["vmcs_per_cpu"], h["memory_per_cpu_bytes"]),
        "",
        "%4s %6s %-10s %-17s %5s %-13s %-12s %8s %8s %8s  %s" % (
            "cpu", "apic", "state", "reason", "rev", "flags", "vmcs ac/an/l", "vmclear", "vmptrld",
            "skipped", "failures"),
    ]
    for cpu in status["cpus"]:
        # Free and clear VMCSs belong to no CPU (docs: "VMCS counts"): the pool line above has them.
        vmcs = "%d/%d/%d" % (cpu["vmcs_active_current"], cpu["vmcs_active_not_current"], cpu["vmcs_launched"])
        lines.append("%4d %6d %-10s %-17s %5s %-13s %-12s %8d %8d %8d  %s" % (
            cpu["index"], cpu["apic_id"], cpu["state_name"], cpu["reason_name"],
            "0x%x" % cpu["vmx_revision_id"] if cpu["vmx_revision_id"] else "-",
            ",".join(CPU_FLAGS_SHORT.get(f, f) for f in cpu["flag_names"]) or "-", vmcs, cpu["vmclear_count"], cpu["vmptrld_count"],
            cpu["vmptrld_skipped_count"], format_errors(cpu)))
    if "vcpus" in status:
        lines += [""] + format_vcpus(status) + [""] + format_memory(status["memory"])
    if "log" in status:
        lines += [""] + format_log(status["log"])
    return "\n".join(lines)


def format_log(ring):
    lines = ["log: the last %d of %d line%s vmxroot printed%s%s" % (
        len(ring["lines"]), ring["line_count"], "" if ring["line_count"] == 1 else "s",
        ", %d cut to %d bytes" % (ring["cut_count"], ring["line_size_bytes"]) if ring["cut_count"] else "",
        "" if ring["consistent"] else ", TORN")]
    return lines + ["  " + line for line in ring["lines"]]


def format_exits(exits, limit=3):
    ranked = sorted(exits, key=lambda entry: (-entry["count"], entry["reason"]))
    text = ", ".join("%s x%d" % (entry["name"], entry["count"]) for entry in ranked[:limit] if entry["count"])
    return (text + (", ..." if len(ranked) > limit else "")) or "-"


def format_entry_failure(failure):
    if not failure:
        return "-"
    what = failure["kind_name"]
    if failure["kind_name"] == "vmfail-valid":
        what += " %d (%s)" % (failure["number"], failure["error_name"])
    elif failure["kind_name"] != "vmfail-invalid":
        what += " (exit %d)" % failure["number"]
    if failure["name"]:
        what += " '%s'" % failure["name"]
    if failure["field"]:
        what += " field 0x%x=0x%x" % (failure["field"], failure["value"])
    if "refused-by-check" in failure["flag_names"]:
        what += ", refused by the software check"
    elif "named-by-check" in failure["flag_names"]:
        what += ", named by the software check"
    return what + (" x%d" % failure["count"] if failure["count"] > 1 else "")


def format_vcpus(status):
    lines = ["%4s %-12s %-16s %-24s %10s  %-40s %s" % ("vcpu", "state", "reason", "why", "exits", "last exit",
                                                         "entry failure")]
    for vcpu in status["vcpus"]:
        last = vcpu["last_exit"]
        last_text = "-" if not last else "%s%s q=0x%x rip=0x%x" % (
            last["name"], " (entry failure)" if last["entry_failure"] else "", last["qualification"],
            last["guest_rip"])
        lines.append("%4d %-12s %-16s %-24s %10d  %-40s %s" % (
            vcpu["index"], vcpu["state_name"] + ("" if vcpu["consistent"] else " TORN"), vcpu["reason_name"],
            vcpu["reason_text"] or "-", vcpu["exit_count_total"], last_text,
            format_entry_failure(vcpu["entry_failure"])))
        if vcpu["exits"]:
            lines.append("     exits: %s%s" % (format_exits(vcpu["exits"], limit=32),
                                               ", other x%d" % vcpu["exit_count_other"] if vcpu["exit_count_other"]
                                               else ""))
    return lines


def format_memory(memory):
    lines = ["memory: %d range%s of vmxroot's own (table of %d%s%s)" % (
        len(memory["ranges"]), "" if len(memory["ranges"]) == 1 else "s", memory["capacity"],
        ", INCOMPLETE: the table was full" if "incomplete" in memory["flag_names"] else "",
        "" if memory["consistent"] else ", TORN")]
    for entry in memory["ranges"]:
        lines.append("  0x%012x-0x%012x %10d KiB  %-12s %s" % (
            entry["phys"], entry["phys"] + entry["size_bytes"] - 1, entry["size_bytes"] >> 10, entry["kind_name"],
            "cpu%d" % entry["cpu"] if entry["cpu"] is not None else ""))
    return lines


def emit(status, as_json):
    if as_json:
        print(json.dumps(status, indent=2, sort_keys=True))
    else:
        print(format_table(status))
    sys.stdout.flush()
