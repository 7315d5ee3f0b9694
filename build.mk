# vmxroot build rules. `make` builds build/vmxroot.elf and build/vmxroot.iso;
# `make help` lists the other targets.

BUILD      := build
ELF        := $(BUILD)/vmxroot.elf
ISO        := $(BUILD)/vmxroot.iso
CC_KERNEL  ?= clang
CC_HOST    ?= clang
LD         := ld.lld
NASM       := nasm
PYTHON     ?= /usr/bin/python3
SMP        ?= 4
CMDLINE    ?=

# Quiet by default: one line per step ("  CC      core/main.c"); `make V=1` shows every command.
V          ?= 0
Q           = $(if $(filter 1,$(V)),,@)
msg         = $(if $(filter 1,$(V)),,@printf '  %-8s %s\n' '$(1)' '$(2)')

KERNEL_DIRS := arch core mm drivers
# arch/x86/asm_defs.c is not linked: it generates the constants the assembly includes.
ASM_DEFS_C  := arch/x86/asm_defs.c
ASM_DEFS    := $(BUILD)/gen/asm_defs.inc
KERNEL_C    := $(filter-out $(ASM_DEFS_C),$(sort $(shell find $(KERNEL_DIRS) -name '*.c')))
KERNEL_ASM  := $(sort $(shell find $(KERNEL_DIRS) -name '*.asm'))
KERNEL_OBJS := $(KERNEL_ASM:%.asm=$(BUILD)/kernel/%.asm.o) $(KERNEL_C:%.c=$(BUILD)/kernel/%.o) \
               $(BUILD)/kernel/generated/font_console.o

# The screen console's font: a Debian console font (package console-setup-linux), converted at build time.
FONT_PSF   ?= /usr/share/consolefonts/Lat15-TerminusBold16.psf.gz
FONT_C     := $(BUILD)/generated/font_console.c

WARNINGS := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
            -Wno-unused-parameter
KERNEL_CFLAGS = -target x86_64-unknown-none -std=c11 -Oz -g $(WARNINGS) -I. \
                 -ffreestanding -fno-builtin -nostdinc -isystem $(shell $(CC_KERNEL) -print-resource-dir)/include \
                 -mno-red-zone -mno-sse -mno-mmx -mno-80387 -mgeneral-regs-only \
                 -fno-pic -fno-pie -mcmodel=small -fno-omit-frame-pointer \
                 -fstack-protector-strong -mstack-protector-guard=global -fno-asynchronous-unwind-tables \
                 -ffunction-sections -fdata-sections -MMD -MP
# Test-only: `make VMENTRY_BROKEN_CHECK=<check id> BUILD=<dir>` builds a kernel whose VM-entry check <id>
# always passes (the checker of the checker, tests/test_vmentry_diff.py). Never in build/.
ifneq ($(VMENTRY_BROKEN_CHECK),)
ifeq ($(BUILD),build)
$(error VMENTRY_BROKEN_CHECK needs BUILD=<another directory>: build/ holds the real kernel)
endif
KERNEL_CFLAGS += -DVMENTRY_CHECK_BROKEN_ID=VMENTRY_CHECK_$(VMENTRY_BROKEN_CHECK)
endif
NASM_FLAGS := -f elf64 -g -F dwarf -I arch/x86/ -I $(BUILD)/gen/
LDFLAGS    := -nostdlib -static -z max-page-size=4096 --no-dynamic-linker --gc-sections -T arch/x86/boot/linker.ld
# The boot path's functions first, in the order a boot runs them (tools/boot-path-order writes the list).
BOOT_PATH_ORDER := arch/x86/boot/boot_path.order
LDFLAGS    += --symbol-ordering-file=$(BOOT_PATH_ORDER) --no-warn-symbol-ordering

.PHONY: all iso clean run run-qemu run-bochs debug test test-slow vmentry-diff unit compile-fail fuzz fuzz-smoke lint bench soak deps images help include-graph kvm-unit-tests
all: $(ELF) $(ISO)
iso: $(ISO)

$(BUILD)/kernel/%.o: %.c
	@mkdir -p $(dir $@)
	$(call msg,CC,$<)
	$(Q)$(CC_KERNEL) $(KERNEL_CFLAGS) -c $< -o $@

$(FONT_C): tools/psf2c.py $(FONT_PSF)
	@mkdir -p $(dir $@)
	$(call msg,FONT,$@)
	$(Q)$(PYTHON) tools/psf2c.py $(FONT_PSF) $@

$(BUILD)/kernel/generated/font_console.o: $(FONT_C)
	@mkdir -p $(dir $@)
	$(call msg,CC,$<)
	$(Q)$(CC_KERNEL) $(KERNEL_CFLAGS) -c $< -o $@

$(BUILD)/kernel/%.asm.o: %.asm $(ASM_DEFS)
	@mkdir -p $(dir $@)
	$(call msg,NASM,$<)
	$(Q)$(NASM) $(NASM_FLAGS) -MD $(@:.o=.d) -MP $< -o $@

# The asm-offsets way: each DEFINE in asm_defs.c leaves "->NAME value" in the
# compiler's assembly output; sed turns those into NASM equ lines.
$(ASM_DEFS): $(ASM_DEFS_C)
	@mkdir -p $(dir $@)
	$(call msg,GEN,$@)
	$(Q)$(CC_KERNEL) $(KERNEL_CFLAGS) -MT $@ -MF $(BUILD)/gen/asm_defs.d -S $< -o $(BUILD)/gen/asm_defs.s
	$(Q)sed -n 's/^[[:space:]]*\.ascii[[:space:]]*"->\([A-Z0-9_]*\) \([0-9]*\)"$$/\1 equ \2/p' \
	    $(BUILD)/gen/asm_defs.s > $@.tmp
	@test -s $@.tmp || { echo "asm_defs.inc came out empty"; exit 1; }
	$(Q)mv $@.tmp $@

$(ELF): $(KERNEL_OBJS) arch/x86/boot/linker.ld $(BOOT_PATH_ORDER)
	$(call msg,LD,$@)
	$(Q)$(LD) $(LDFLAGS) $(KERNEL_OBJS) -o $@
	$(Q)grub-file --is-x86-multiboot2 $@

$(ISO): $(ELF) tools/grub.cfg
	@rm -rf $(BUILD)/isodir && mkdir -p $(BUILD)/isodir/boot/grub
	$(call msg,ISO,$@)
	$(Q)cp $(ELF) $(BUILD)/isodir/boot/vmxroot.elf
	$(Q)cp tools/grub.cfg $(BUILD)/isodir/boot/grub/grub.cfg
	$(Q)grub-mkrescue -o $@ $(BUILD)/isodir 2>$(BUILD)/grub-mkrescue.log || (cat $(BUILD)/grub-mkrescue.log; exit 1)

-include $(KERNEL_OBJS:.o=.d) $(BUILD)/gen/asm_defs.d

# --- host unit tests -------------------------------------------------------
# Each tests/unit/test_NAME.c names the pure sources it links in one line:
#   // host-sources: core/lib/format.c mm/pmm.c
HOST_CFLAGS := -std=c11 -g -O1 $(WARNINGS) -Wno-missing-prototypes -I. -DVMXROOT_HOST \
               -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
UNIT_SRCS   := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BINS   := $(UNIT_SRCS:tests/unit/%.c=$(BUILD)/host/%)
host_sources = $(shell sed -n 's|^// host-sources: ||p' $(1))

.SECONDEXPANSION:
$(BUILD)/host/test_%: tests/unit/test_%.c tests/unit/host_support.c tests/unit/check.h $$(call host_sources,tests/unit/test_%.c)
	@mkdir -p $(dir $@)
	$(call msg,HOSTCC,$@)
	$(Q)$(CC_HOST) $(HOST_CFLAGS) $(filter %.c,$^) -o $@
	$(Q)$(CC_HOST) $(HOST_CFLAGS) -MM -MP -MT $@ $(filter %.c,$^) > $@.d

# The headers each unit binary and harness was built from (a header change rebuilds them).
-include $(wildcard $(BUILD)/host/*.d $(BUILD)/fuzz/*.d)

unit: $(UNIT_BINS) compile-fail
	@fail=0; for t in $(UNIT_BINS); do echo "== $$t"; $$t || fail=1; done; exit $$fail

# --- compile-time checks that must refuse ------------------------------------
# Each tests/compile_fail/NAME.c must fail to compile with the text of its
# "// expect-error: TEXT" line in the compiler's messages.
COMPILE_FAIL_SRCS := $(sort $(wildcard tests/compile_fail/*.c))

compile-fail:
	@mkdir -p $(BUILD)/compile-fail
	@for f in $(COMPILE_FAIL_SRCS); do \
	  expect=$$(sed -n 's|^// expect-error: ||p' $$f); log=$(BUILD)/compile-fail/$$(basename $$f .c).log; \
	  if [ -z "$$expect" ]; then echo "$$f: no '// expect-error:' line"; exit 1; fi; \
	  if $(CC_HOST) $(HOST_CFLAGS) -fsyntax-only $$f >$$log 2>&1; then echo "$$f compiled: it must not"; exit 1; fi; \
	  grep -qF -- "$$expect" $$log || { echo "$$f was refused, but not with '$$expect':"; cat $$log; exit 1; }; \
	done; echo "compile-fail: $(words $(COMPILE_FAIL_SRCS)) misuses refused, each with its message"

# --- fuzzing (libFuzzer) ---------------------------------------------------
FUZZ_S     ?= 60
FUZZ_SRCS  := $(sort $(wildcard tests/fuzz/fuzz_*.c))
FUZZ_BINS  := $(FUZZ_SRCS:tests/fuzz/%.c=$(BUILD)/fuzz/%)
FUZZ_CFLAGS := -std=c11 -g -O1 -I. -DVMXROOT_HOST -DVMXROOT_FUZZ \
               -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all

$(BUILD)/fuzz/fuzz_%: tests/fuzz/fuzz_%.c tests/unit/host_support.c $$(call host_sources,tests/fuzz/fuzz_%.c)
	@mkdir -p $(dir $@)
	$(call msg,FUZZCC,$@)
	$(Q)$(CC_HOST) $(FUZZ_CFLAGS) $(filter %.c,$^) -o $@
	$(Q)$(CC_HOST) $(FUZZ_CFLAGS) -MM -MP -MT $@ $(filter %.c,$^) > $@.d

# Runs every harness for FUZZ_S seconds on its corpus; crashes are kept in
# tests/fuzz/NAME/crashes/ and replayed as regressions by fuzz-smoke.
fuzz: $(FUZZ_BINS)
	@for f in $(FUZZ_BINS); do n=$$(basename $$f); mkdir -p $(BUILD)/fuzz/corpus/$$n tests/fuzz/$$n/seeds tests/fuzz/$$n/crashes; \
	  echo "== $$n for $(FUZZ_S) s"; \
	  $$f -max_total_time=$(FUZZ_S) -print_final_stats=1 -artifact_prefix=tests/fuzz/$$n/crashes/ \
	      $(BUILD)/fuzz/corpus/$$n tests/fuzz/$$n/seeds 2>&1 | grep -E 'stat::number_of_executed_units|ERROR|SUMMARY|Done' || exit 1; done

fuzz-smoke: FUZZ_S := 3
fuzz-smoke: fuzz
	@for f in $(FUZZ_BINS); do n=$$(basename $$f); if ls tests/fuzz/$$n/crashes/* >/dev/null 2>&1; then \
	  echo "== $$n regressions"; $$f tests/fuzz/$$n/crashes/* || exit 1; fi; done

# --- everything -------------------------------------------------------------
deps:
	@tools/install-deps

# make test uses every core: the checks before the boot tests run side by side, and the boot tests
# run on JOBS pytest workers when pytest-xdist is there (python3-pytest-xdist, tools/install-deps).
# --dist loadfile keeps each test file on one worker: a file's module fixtures build a variant kernel
# or boot once for all of its tests. Without xdist the boot tests run one at a time, as before.
JOBS ?= $(shell nproc)
PYTEST_PARALLEL = $(shell $(PYTHON) -c 'import xdist' 2>/dev/null && echo "-n $(JOBS) --dist loadfile")

test: deps
	$(Q)$(MAKE) --no-print-directory -j$(JOBS) --output-sync=target all unit fuzz-smoke lint include-graph
	$(call msg,PYTEST,tests/ ($(or $(PYTEST_PARALLEL),one worker)))
	$(Q)cd tests && $(PYTHON) -m pytest -q -p no:cacheprovider $(PYTEST_PARALLEL) $(PYTEST_ARGS)

lint: deps
	@tools/lint

# Debian's kernel, busybox initramfs and Xen into build/images/ (downloaded, not installed).
images:
	@tools/fetch-images

# No circle in the include graph of arch/ core/ mm/ drivers/, and nothing below core/ includes core/.
include-graph:
	@mkdir -p $(BUILD) && $(PYTHON) tools/include-cycles --dot $(BUILD)/include-graph.dot

bench: deps all
	$(Q)$(PYTHON) tools/bench.py $(if $(QUICK),--quick)

# The Linux guest boots make test leaves out (2 CPUs, ivy bridge): several minutes each in Bochs.
# The VM-entry check against Bochs's own VM entry: CASES mutated VMCSs from SEED on MODEL, one CPU.
CASES ?= 10000
SEED  ?= 12345
MODEL ?= corei7_skylake_x
vmentry-diff: deps all
	$(Q)$(PYTHON) tools/run.py --emulator bochs --smp 1 --cpu-model $(MODEL) --stay \
	    --cmdline "guest=none exit=on-guest-exit selftest=vmentry vmentry_cases=$(CASES) vmentry_seed=$(SEED)"; \
	    $(PYTHON) tools/vmentry_diff_pair.py $(BUILD)/run/serial.log $(BUILD)/run/bochs.log

# kvm-unit-tests as vmxroot guests in Bochs: KVM_UNIT_TESTS_SRC (a directory or .tar.gz; default the pinned
# tarball beside the project, else upstream at the pinned commit) built into build/, a table at the end.
kvm-unit-tests: deps all
	$(Q)PYTHONPATH=tools $(PYTHON) tools/kvm-unit-tests $(KUT_TESTS)

test-slow: deps all
	cd tests && $(PYTHON) -m pytest -q -p no:cacheprovider -m test_slow --test-slow $(PYTEST_PARALLEL) $(PYTEST_ARGS)

soak: deps all
	$(Q)cd tests && $(PYTHON) -m pytest -q -p no:cacheprovider -m soak --soak

# GUEST=linux: Debian's kernel as the guest, in Bochs with 2 CPUs (SMP= to change).
run: deps all
	$(Q)$(PYTHON) tools/run.py $(if $(filter linux,$(GUEST)),--emulator bochs --guest linux --smp $(if $(filter command line environment,$(origin SMP)),$(SMP),2),--best) $(if $(STAY),--stay) --cmdline "$(CMDLINE)"

run-qemu: deps all
	$(Q)$(PYTHON) tools/run.py --emulator qemu --smp $(SMP) $(if $(STAY),--stay) --cmdline "$(CMDLINE)"

run-bochs: deps all
	$(Q)$(PYTHON) tools/run.py --emulator bochs --smp $(SMP) $(if $(STAY),--stay) --cmdline "$(CMDLINE)"

debug: deps all
	$(Q)$(PYTHON) tools/run.py --emulator qemu --smp $(SMP) --gdb --cmdline "$(CMDLINE)"

clean:
	$(Q)rm -rf $(BUILD)

help:
	@echo "make                build build/vmxroot.elf and build/vmxroot.iso (also: make all)"
	@echo "make iso            build/vmxroot.iso only (and the ELF it holds)"
	@echo "make run            boot in the best emulator with VMX (QEMU+KVM with vmx, else Bochs), SMP=$(SMP)"
	@echo "make run-qemu       boot in QEMU (TCG, no VMX); SMP=n CMDLINE='...' STAY=1"
	@echo "make run-bochs      boot in Bochs (VMX); SMP=n (at most 15)"
	@echo "make debug          QEMU paused with its gdb stub on :1234; gdb build/vmxroot.elf"
	@echo "make test           the whole suite: unit tests, compile-fail, fuzz smoke, lint, include graph, boots"
	@echo "make unit           host unit tests (ASan+UBSan), then compile-fail"
	@echo "make compile-fail   the misuses the headers must refuse at compile time (tests/compile_fail/)"
	@echo "make fuzz           every libFuzzer harness for FUZZ_S seconds (default 60)"
	@echo "make fuzz-smoke     every harness for 3 s, then its saved crash inputs as regressions"
	@echo "make lint           clang-tidy, cppcheck, gcc -Werror build of host code, clang-format check"
	@echo "make include-graph  the kernel's include graph has no circle and no upward include (dot in build/)"
	@echo "make bench          benchmarks, table into BENCHMARKS.md (QUICK=1 for a short run)"
	@echo "make vmentry-diff  the software VM-entry check against Bochs: CASES=10000 SEED=12345 MODEL=corei7_skylake_x"
	@echo "make soak           50 boots in a row under QEMU -smp 16, then 50 of Bochs 4 CPUs with the test guest"
	@echo "make test-slow      the Linux guest boots make test leaves out (Bochs 2 CPUs, ivy bridge)"
	@echo "make kvm-unit-tests kvm-unit-tests as vmxroot guests in Bochs, one line each and a table (KUT_TESTS='dummy tsc')"
	@echo "make images         Debian's kernel and a busybox initramfs and Xen 4.17 into build/images/ (tools/fetch-images)"
	@echo "make run GUEST=linux  Debian's kernel as vmxroot's guest in Bochs with 2 CPUs (SMP=1 for one)"
	@echo "make deps           install the Debian packages everything needs (tools/install-deps)"
	@echo "make clean          remove build/"
	@echo "make help           this list"
	@echo "Any target: V=1 shows the commands instead of one line per step."

# --- the built-in test guest: a flat image, linked into the kernel as data --
TEST_GUEST_BIN := $(BUILD)/test_guest/test_guest.bin
$(TEST_GUEST_BIN): arch/x86/vmx/test_guest/test_guest.nasm
	@mkdir -p $(dir $@)
	$(Q)$(NASM) -f bin -o $@ $<
$(BUILD)/kernel/arch/x86/vmx/test_guest/test_guest_blob.asm.o: $(TEST_GUEST_BIN)
$(BUILD)/kernel/arch/x86/vmx/test_guest/test_guest_blob.asm.o: NASM_FLAGS += -DTEST_GUEST_BIN='"$(TEST_GUEST_BIN)"'

# --- the hostile guest (guest=attack): the same way ----------------------------
ATTACK_GUEST_BIN := $(BUILD)/attack_guest/attack_guest.bin
$(ATTACK_GUEST_BIN): arch/x86/vmx/attack_guest/attack_guest.nasm
	@mkdir -p $(dir $@)
	$(Q)$(NASM) -f bin -o $@ $<
$(BUILD)/kernel/arch/x86/vmx/attack_guest/attack_guest_blob.asm.o: $(ATTACK_GUEST_BIN)
$(BUILD)/kernel/arch/x86/vmx/attack_guest/attack_guest_blob.asm.o: NASM_FLAGS += -DATTACK_GUEST_BIN='"$(ATTACK_GUEST_BIN)"'

# The VM-exit round trip (vcpu_run -> dispatch -> handler -> entry) is the one hot path of the
# kernel: -O2 there (inlining, no frame setup per field access) against -Oz elsewhere.
VMEXIT_HOT_OBJS := $(addprefix $(BUILD)/kernel/arch/x86/vmx/,vcpu_run.o vcpu.o vmexit_dispatch.o vmexit_cpuid.o guest_cpuid.o) \
                   $(BUILD)/kernel/core/status_vcpu.o $(BUILD)/kernel/core/status_vcpu_table.o
$(VMEXIT_HOT_OBJS): KERNEL_CFLAGS += -O2
