"""The scaling picture: bring-up time and kernel boot time against the CPU count, log-log,
one line per vmxroot mode and one for Xen, drawn with gnuplot (Debian's gnuplot-nox) as SVG."""

import shutil
import subprocess
from pathlib import Path


def _block(name, points):
    rows = "\n".join("%d %.6g" % (cpus, value) for cpus, value in sorted(points) if value and value > 0)
    return "$%s << EOD\n%s\nEOD\n" % (name, rows)


def script(panels, svg_path, title):
    """A gnuplot script for panels = [(panel title, y label, {series name: [(cpus, value)]})]."""
    out = ["set terminal svg size 1100,520 dynamic enhanced font 'sans,11' background rgb 'white'",
           "set output '%s'" % svg_path, "set logscale xy", "set grid", "set key below",
           "set xlabel 'CPUs'", "set xtics (1, 4, 16, 64, 255)", "set xrange [0.8:320]",
           "set multiplot layout 1,%d title '%s'" % (len(panels), title.replace("'", "''"))]
    blocks = []
    for p, (panel, ylabel, series) in enumerate(panels):
        plots = []
        for s, (name, points) in enumerate(series.items()):
            if not any(v and v > 0 for _, v in points):
                continue
            block = "p%ds%d" % (p, s)
            blocks.append(_block(block, points))
            plots.append("$%s using 1:2 with linespoints lw 2 pt %d title '%s'" % (block, 5 + s,
                                                                                   name.replace("'", "''")))
        out += ["set title '%s'" % panel, "set ylabel '%s'" % ylabel]
        out.append("plot " + ", ".join(plots) if plots else "set label 1 'no data' at graph 0.5,0.5; plot 1/0 notitle")
    out.append("unset multiplot")
    return "".join(blocks) + "\n".join(out) + "\n"


def draw(panels, svg_path, title):
    """Writes svg_path; returns None, or why it could not (gnuplot missing or failing)."""
    gnuplot = shutil.which("gnuplot")
    if gnuplot is None:
        return "gnuplot is not installed (tools/install-deps installs gnuplot-nox)"
    svg_path = Path(svg_path)
    svg_path.parent.mkdir(parents=True, exist_ok=True)
    text = script(panels, svg_path.name, title)  # relative: the script beside the SVG runs from anywhere there
    svg_path.with_suffix(".gnuplot").write_text(text)
    proc = subprocess.run([gnuplot], input=text, capture_output=True, text=True, timeout=60, cwd=svg_path.parent)
    if proc.returncode != 0 or not svg_path.exists():
        return "gnuplot failed: " + (proc.stderr.strip() or "no output")
    return None
