"""Shared pytest set-up: one `make all` per session, the --soak switch, marker handling.

The boot runner is the package tools/vmxboot (import vmxboot), which tools/run.py and
tools/bench.py use too; see its docstring. Helpers several test files share are in helpers.py.
"""
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tools"))
import vmxboot  # noqa: E402


def pytest_addoption(parser):
    parser.addoption("--soak", action="store_true", default=False,
                     help="run the tests marked soak (long repeated boots; make soak)")
    parser.addoption("--test-slow", action="store_true", default=False,
                     help="run the tests marked test_slow too (more Linux guest boots; make test-slow)")
    parser.addoption("--no-build", action="store_true", default=False,
                     help="do not run `make all` first; test the build/ that is there")


def pytest_collection_modifyitems(config, items):
    if not config.getoption("--test-slow"):
        skip_slow = pytest.mark.skip(reason="a long boot kept out of make test: run with --test-slow (make test-slow)")
        for item in items:
            if "test_slow" in item.keywords:
                item.add_marker(skip_slow)
    if config.getoption("--soak"):
        return
    skip_soak = pytest.mark.skip(reason="soak test: run with --soak (make soak)")
    for item in items:
        if "soak" in item.keywords:
            item.add_marker(skip_soak)


@pytest.fixture(scope="session", autouse=True)
def kernel_build(request):
    """Builds build/vmxroot.elf and build/vmxroot.iso once per session; a failed build fails
    every test with the compiler's output instead of booting a stale kernel."""
    if not request.config.getoption("--no-build"):
        proc = subprocess.run(["make", "-C", str(vmxboot.REPO), "all"], stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True)
        if proc.returncode != 0:
            pytest.fail("`make all` failed:\n" + proc.stdout[-20000:], pytrace=False)
    if not vmxboot.ELF.exists():
        pytest.fail("%s is missing: run `make`" % vmxboot.ELF, pytrace=False)
    return vmxboot.ELF
