"""The benchmarks whose figures the targets table judges, besides bench.py's own boots.

Each is one module under tools/ with three functions (tools/bench_guest.py is the model):

    measure(runs) -> list of dict     one JSON-able dict per run; raise SystemExit("why") when the
                                      run gave no figure (a guest that did not pass, a missing image)
    figures(samples) -> dict          {figure name: (value, "the table's text")}, the value compared
                                      with the target's limit (at most), the text shown as measured
    markdown(samples) -> str          its own section of BENCHMARKS.md ("" for none)

and one SOURCES entry here. A target row (benchlib/targets.py, TARGETS) names the figure as
"external:<figure name>" in MEASUREMENTS; until a run hands that figure over the row says
"not measured yet". So a new row is: the module, one Source line below, one Target line (and
its "external:" entry in MEASUREMENTS) in targets.py. bench.py runs every source after its own
boots (one emulator at a time), keeps the samples in samples.json under the source's name, and
`bench.py --render` draws the table again from them.
"""
import dataclasses
import importlib


@dataclasses.dataclass(frozen=True)
class Source:
    name: str  # the key of its samples in samples.json, and of --runs-of NAME=N
    module: str  # tools/<module>.py
    runs: int  # runs in a full bench run
    quick_runs: int  # runs with --quick (0: none)
    needs_bochs: bool = True  # skipped, with the reason in the report, where Bochs is missing


SOURCES = (
    Source("guest", "bench_guest", runs=3, quick_runs=1),
    Source("kut", "bench_kut", runs=1, quick_runs=0),  # kvm-unit-tests' vmexit: ~10 min a run
    Source("linux", "bench_linux", runs=1, quick_runs=0),  # a Linux guest and its direct boot: ~10 min a round
)


def module_of(source):
    return importlib.import_module(source.module)


def run_all(runs_by_name, have_bochs, progress):
    """{name: samples} and {name: why it has none} for every source, runs_by_name[name] runs each."""
    samples, skipped = {}, {}
    for source in SOURCES:
        runs = runs_by_name.get(source.name, 0)
        if not runs:
            skipped[source.name] = "not run (0 runs asked for)"
            continue
        if source.needs_bochs and not have_bochs:
            skipped[source.name] = "Bochs is missing"
            continue
        try:
            samples[source.name] = module_of(source).measure(runs)
            progress("[%s] %d runs: %s" % (source.name, runs, figures_text(source, samples[source.name])))
        except SystemExit as failure:  # the module's way of saying the run gave no figure
            skipped[source.name] = str(failure).splitlines()[0] if str(failure) else "no figure"
            progress("[%s] no figures: %s" % (source.name, skipped[source.name]))
    return samples, skipped


def figures_text(source, samples):
    return ", ".join("%s %s" % (k, v[0]) for k, v in sorted(module_of(source).figures(samples).items()))


def external_figures(samples_by_name):
    """Every figure the sources' samples give, by figure name, for benchlib/targets.py."""
    out = {}
    for source in SOURCES:
        if samples_by_name.get(source.name):
            out.update(module_of(source).figures(samples_by_name[source.name]))
    return out


def sections(samples_by_name):
    """The sources' own Markdown sections, as lines."""
    lines = []
    for source in SOURCES:
        if samples_by_name.get(source.name):
            text = module_of(source).markdown(samples_by_name[source.name])
            if text:
                lines += text.splitlines() + [""]
    return lines
