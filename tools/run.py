#!/usr/bin/python3
"""Boot vmxroot interactively with the serial console on this terminal.

    tools/run.py --best                     QEMU+KVM if this host has VMX, else Bochs (VMX)
    tools/run.py --emulator qemu --smp 4    QEMU (TCG: no VMX)
    tools/run.py --emulator bochs --smp 8   Bochs (VMX, at most 15 CPUs)
    tools/run.py --stay                     keep running after the guests stop (Ctrl-C ends it)
    tools/run.py --gdb                      QEMU paused with its gdb stub on :1234
    tools/run.py --cmdline 'loglevel=debug'
    tools/run.py --guest linux --smp 2      Debian's kernel + busybox initramfs as the guest (Bochs)

Without --stay the kernel gets exit=on-guest-exit: after the ready line the test guest runs on
every CPU in VMX root, and the emulator ends after the `vmxroot: guests passed=P/L` line.
The serial output goes to build/run/serial.log and is copied to stdout as it arrives. Exit
status: 0 if the ready line appeared without a PANIC and every launched guest passed, 1 otherwise. The emulator
command lines come from the vmxboot package (tools/vmxboot), the same ones the tests use.
"""
import argparse
import os
import re
import signal
import subprocess
import sys
import time

import vmxboot
from vmxboot import linux_guest

RUN_DIR = vmxboot.BUILD / "run"
GUESTS_RE = re.compile(r"vmxroot: guests passed=(\d+)/(\d+)")


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    which = parser.add_mutually_exclusive_group()
    which.add_argument("--best", action="store_true",
                       help="QEMU+KVM when /dev/kvm exists and the CPU has vmx, else Bochs")
    which.add_argument("--emulator", choices=("qemu", "bochs"), default="qemu")
    parser.add_argument("--smp", type=int, default=4, help="CPUs (default 4; Bochs at most 15)")
    parser.add_argument("--memory-mb", type=int, default=256)
    parser.add_argument("--firmware", choices=("bios", "uefi"), default="bios", help="QEMU only")
    parser.add_argument("--machine", choices=("pc", "q35"), default="pc", help="QEMU only")
    parser.add_argument("--cpu-model", default=None, help="QEMU -cpu or Bochs cpu model")
    parser.add_argument("--cmdline", default="", help="kernel command line (exit=on-guest-exit is added)")
    parser.add_argument("--stay", action="store_true", help="no exit=on-guest-exit: run until Ctrl-C")
    parser.add_argument("--gdb", action="store_true", help="QEMU -s -S: wait for gdb on :1234")
    parser.add_argument("--guest", choices=("test", "linux"), default="test",
                        help="linux: GRUB loads Debian's kernel (tools/fetch-images) as vmxroot's guest")
    args = parser.parse_args()
    if args.gdb and (args.best or args.emulator != "qemu"):
        parser.error("--gdb needs QEMU")
    return args


def command_for(args, iso, serial_path):
    """The emulator command line and environment, built by the vmxboot package."""
    if args.emulator == "qemu":
        kvm = args.best
        cmd = vmxboot.qemu_command(iso, "file:%s" % serial_path, args.smp, args.memory_mb, args.firmware,
                                     args.machine, args.cpu_model, qmp_socket=RUN_DIR / "qmp.sock",
                                     gdb=args.gdb, kvm=kvm)
        return cmd, None
    extra = linux_guest.BOCHS_LINES if args.guest == "linux" else ()
    cmd = vmxboot.write_bochs_files(RUN_DIR, "run", iso, serial_path, RUN_DIR / "bochs.log", args.smp,
                                    args.memory_mb, args.cpu_model, extra)
    return cmd, vmxboot.bochs_environment()


def follow(process, serial_path):
    """Copies new serial output to stdout until the emulator ends. Returns the whole text."""
    seen = b""
    with open(serial_path, "rb") as serial:
        while True:
            ended = process.poll() is not None
            chunk = serial.read()
            if chunk:
                seen += chunk
                sys.stdout.buffer.write(chunk)
                sys.stdout.buffer.flush()
            elif ended:
                return seen.decode(errors="replace")
            else:
                time.sleep(0.02)


def main():
    args = parse_args()
    if args.best:
        if vmxboot.host_has_vmx_kvm():
            args.emulator = "qemu"
            print("run: QEMU with KVM (this CPU has VMX)", file=sys.stderr)
        else:
            args.emulator = "bochs"
            print("run: Bochs (no usable KVM with VMX here; QEMU's TCG has no VMX)", file=sys.stderr)
    if args.emulator == "bochs" and not 1 <= args.smp <= vmxboot.BOCHS_MAX_CPUS:
        sys.exit("run: Bochs runs 1..%d CPUs; pass --smp N" % vmxboot.BOCHS_MAX_CPUS)

    cmdline = args.cmdline if args.stay else ("exit=on-guest-exit " + args.cmdline).strip()
    if args.guest == "linux":
        iso = linux_guest.linux_iso(cmdline)  # fetches the images through tools/fetch-images first
    else:
        iso = vmxboot.iso_for_cmdline(cmdline)
    RUN_DIR.mkdir(parents=True, exist_ok=True)
    serial_path = RUN_DIR / "serial.log"
    serial_path.write_bytes(b"")
    cmd, env = command_for(args, iso, serial_path)
    print("run: kernel command line: %s" % cmdline, file=sys.stderr)
    print("run: %s" % " ".join(str(c) for c in cmd), file=sys.stderr)
    if args.gdb:
        print("run: QEMU waits for gdb. In another terminal:\n"
              "     gdb %s -ex 'target remote :1234'" % os.path.relpath(vmxboot.ELF), file=sys.stderr)
    if args.stay:
        print("run: Ctrl-C ends the emulator", file=sys.stderr)

    emulator_out = open(RUN_DIR / ("%s.out" % args.emulator), "w")
    # A session of its own: Ctrl-C reaches only this script, which then ends the emulator
    # (Bochs's debugger would otherwise catch SIGINT and wait at its prompt).
    process = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=emulator_out, stderr=subprocess.STDOUT,
                               env=env, cwd=RUN_DIR, start_new_session=True)
    interrupted = False
    try:
        text = follow(process, serial_path)
    except KeyboardInterrupt:
        interrupted = True
        text = serial_path.read_text(errors="replace")
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        emulator_out.close()

    ready = [line for line in text.splitlines() if vmxboot.READY_RE.search(line)]
    panics = [line for line in text.splitlines() if vmxboot.PANIC_RE.search(line)]
    if process.returncode not in (None, 0, 1, -signal.SIGKILL) and not ready:
        print("run: %s exited with %d; its output: %s" % (args.emulator, process.returncode, emulator_out.name),
              file=sys.stderr)
    if panics:
        print("run: PANIC (serial log: %s)" % serial_path, file=sys.stderr)
        return 1
    guests = [line for line in text.splitlines() if GUESTS_RE.search(line)]
    if guests:
        passed, launched = (int(n) for n in GUESTS_RE.search(guests[-1]).groups())
        if passed != launched:
            print("run: %d of %d guests failed (serial log: %s)" % (launched - passed, launched, serial_path),
                  file=sys.stderr)
            return 1
    if ready and args.guest == "linux" and not interrupted:
        ended = re.search(r"vmxroot: guest vm0 ended: (.*)", text)
        print("run: guest vm0 %s (serial log: %s)" % ("ended: " + ended.group(1) if ended else "did not end",
                                                      serial_path), file=sys.stderr)
        return 0 if ended and ended.group(1).startswith("power off") else 1
    if ready:
        return 0
    if interrupted and args.stay:
        return 0
    print("run: no ready line (serial log: %s, emulator output: %s)" % (serial_path, emulator_out.name),
          file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
