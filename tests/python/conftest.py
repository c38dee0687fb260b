"""pytest configuration of the starp Python suite.

Environment variables
---------------------
STARP_TEST_AGAINST_NUMPY=1
    Run the suite with a stand-in ``starp`` that maps ``starp.numpy`` to NumPy
    itself (``_numpy_as_starp/``).  Proves the expectations are NumPy's;
    starp-only tests are skipped.
STARP_TEST_RANKS=1,3
    Ranks the suite runs under (default ``1,2,3,4``).  Every test that is not
    marked ``cross_ranks`` runs once per P, through the session-scoped,
    autouse, parametrized fixture ``ranks`` which calls
    ``starp.config(ranks=P)``; pytest groups the tests by P, so the session is
    switched only 4 times.
CI
    When set, or under mpirun, the hypothesis profile "ci" (derandomized, no
    database) is loaded; otherwise "dev".  HYPOTHESIS_PROFILE overrides both.

Markers: ``cross_ranks`` (the test loops over P itself), ``slow`` (scale
tests; deselect with ``-m "not slow"``).  Every test gets a default
pytest-timeout of 300 s (thread method, so a deadlocked runtime cannot hang
CI) unless it has its own ``timeout`` mark, or ``--timeout`` / the ini option
``timeout`` is given.
"""

import os
import sys

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
if HERE not in sys.path:
    sys.path.insert(0, HERE)

AGAINST_NUMPY = os.environ.get("STARP_TEST_AGAINST_NUMPY", "") not in ("", "0")
if AGAINST_NUMPY:
    sys.path.insert(0, os.path.join(HERE, "_numpy_as_starp"))
    for _name in [m for m in sys.modules if m == "starp" or m.startswith("starp.")]:
        del sys.modules[_name]

try:
    import starp  # noqa: E402
    import starp.numpy  # noqa: E402,F401
except ImportError as _e:  # pragma: no cover - depends on the build
    pytest.exit(
        f"cannot import starp ({_e}); build/install it first "
        "(e.g. `maturin develop` in frontend-py), or run the suite against "
        "NumPy with STARP_TEST_AGAINST_NUMPY=1",
        returncode=4,
    )

import _helpers  # noqa: E402

from hypothesis import HealthCheck, settings  # noqa: E402

settings.register_profile(
    "ci",
    derandomize=True,
    database=None,
    deadline=None,
    max_examples=25,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "dev",
    deadline=None,
    max_examples=25,
    suppress_health_check=[HealthCheck.too_slow],
)
# Under mpirun every rank runs the same test (SPMD) and must draw the same examples, or the ranks'
# plans differ: the derandomized profile there too.
settings.load_profile(
    os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") or starp.under_mpi() else "dev")
)


def _ranks_from_env():
    raw = os.environ.get("STARP_TEST_RANKS", "")
    if not raw.strip():
        return list(_helpers.ALL_RANKS)
    return [int(p) for p in raw.replace(" ", "").split(",") if p]


# Under mpirun the ranks are the MPI job's: every process runs the suite once with P = its size.
UNDER_MPI = (not AGAINST_NUMPY) and starp.under_mpi()
RANKS = [starp.current_session().ranks] if UNDER_MPI else _ranks_from_env()


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "cross_ranks: the test switches P itself (not run once per P)"
    )
    config.addinivalue_line("markers", "slow: scale test (large loops / chains)")
    config.addinivalue_line("markers", "own_process: starts Python subprocesses (not under mpirun)")
    config.addinivalue_line("markers", "timeout: pytest-timeout limit")


def pytest_report_header(config):
    mode = "NumPy stand-in" if AGAINST_NUMPY else f"starp from {getattr(starp, '__file__', '?')}"
    return [f"starp under test: {mode}; ranks: {RANKS}"]


def pytest_generate_tests(metafunc):
    if "ranks" not in metafunc.fixturenames:
        return
    if metafunc.definition.get_closest_marker("cross_ranks"):
        return
    metafunc.parametrize(
        "ranks", RANKS, indirect=True, scope="session", ids=[f"P{p}" for p in RANKS]
    )


@pytest.fixture(scope="session", autouse=True)
def ranks(request):
    """P of the default session for this test (``starp.config(ranks=P)``)."""
    p = getattr(request, "param", RANKS[0])
    starp.config(ranks=p)
    _helpers.CURRENT_RANKS[0] = p
    yield p


def pytest_collection_modifyitems(config, items):
    if UNDER_MPI:
        skip = pytest.mark.skip(reason="switches P or starts subprocesses: not under mpirun")
        for item in items:
            if item.get_closest_marker("cross_ranks") or item.get_closest_marker("own_process"):
                item.add_marker(skip)
    try:
        import pytest_timeout  # noqa: F401
    except ImportError:
        return
    if config.getoption("timeout", None):
        return
    try:
        if config.getini("timeout"):
            return  # the project's ini sets its own default
    except ValueError:
        pass
    for item in items:
        if item.get_closest_marker("timeout") is None:
            item.add_marker(pytest.mark.timeout(300, method="thread"))
