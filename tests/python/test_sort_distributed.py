"""The distributed sort (optimizer::plan::HostMode): a stable sample sort for 1-d arrays (and
axis=None), each rank's own rows along an axis other than 0. Results are NumPy's bit for bit on
P = 1..4 (the `ranks` fixture): sizes that do not divide P, more ranks than elements, all-equal
values, NaNs, -0.0/+0.0, every kind of dtype; and the plan moves O(n) bytes, not O(n * P)."""

import numpy as np
import pytest

import starp
import starp.numpy as snp
from _helpers import CURRENT_RANKS, assert_same, check, starp_only, to_numpy, to_starp

SIZES = [0, 1, 2, 3, 5, 7, 13, 101, 1000]
DTYPES = ["int64", "int8", "uint16", "float64", "float32", "bool", "complex128", "complex64"]


def ties(n, dtype, seed=1):
    rng = np.random.default_rng(seed)
    x = rng.integers(-3, 4, size=n)
    d = np.dtype(dtype)
    if d.kind == "b":
        return x > 0
    if d.kind == "u":
        return np.abs(x).astype(dtype)
    if d.kind == "f":
        x = x.astype(dtype)
        x[x == 0] = np.where(rng.random(int((x == 0).sum())) < 0.5, -0.0, 0.0)
        if n > 3:
            x[rng.choice(n, size=max(1, n // 7), replace=False)] = np.nan
        return x
    if d.kind == "c":
        x = (x + 1j * rng.integers(-1, 2, size=n)).astype(dtype)
        if n > 4:
            x[1] = complex(np.nan, 0)
            x[-1] = complex(1, np.nan)
            x[n // 2] = complex(np.nan, np.nan)
        return x
    return x.astype(dtype)


def same_bits(actual, expected):
    a, e = np.asarray(actual), np.asarray(expected)
    assert a.dtype == e.dtype and a.shape == e.shape
    assert a.tobytes() == e.tobytes(), (a, e)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("n", SIZES)
def test_1d_sort_and_argsort_match_numpy_bitwise(n, dtype):
    a = ties(n, dtype)
    same_bits(to_numpy(snp.sort(to_starp(a))), np.sort(a, kind="stable"))
    same_bits(to_numpy(snp.argsort(to_starp(a), kind="stable")), np.argsort(a, kind="stable"))
    # Both outputs of one sort, from one step.
    x = to_starp(a)
    s, i = snp.sort(x), snp.argsort(x, kind="stable")
    same_bits(to_numpy(s), np.sort(a, kind="stable"))
    same_bits(to_numpy(i), np.argsort(a, kind="stable"))


@pytest.mark.parametrize("n", [1, 3, 10, 1001])
def test_all_equal_values_keep_their_order(n):
    for a in [np.full(n, 7, dtype=np.int32), np.full(n, np.nan), np.full(n, True)]:
        same_bits(to_numpy(snp.argsort(to_starp(a), kind="stable")), np.arange(n, dtype=np.int64))
        same_bits(to_numpy(snp.sort(to_starp(a))), a)
    # -0.0 and +0.0 are equal: they stay in input order, each with its own sign bit.
    z = np.array([0.0, -0.0] * (n // 2 + 1))[:n]
    same_bits(to_numpy(snp.sort(to_starp(z))), np.sort(z, kind="stable"))
    same_bits(to_numpy(snp.argsort(to_starp(z), kind="stable")), np.arange(n, dtype=np.int64))


@pytest.mark.parametrize("shape", [(7, 5), (3, 1), (2, 3, 4), (0, 4), (5, 0), (13, 2)])
@pytest.mark.parametrize("dtype", ["float64", "int16", "complex128", "bool"])
def test_nd_sorts_along_every_axis_and_flattened(shape, dtype):
    a = ties(int(np.prod(shape)), dtype).reshape(shape)
    for ax in [None] + list(range(-a.ndim, a.ndim)):
        same_bits(to_numpy(snp.sort(to_starp(a), axis=ax)), np.sort(a, axis=ax, kind="stable"))
        same_bits(to_numpy(snp.argsort(to_starp(a), axis=ax, kind="stable")), np.argsort(a, axis=ax, kind="stable"))


def test_sort_of_a_computed_and_sliced_array():
    a = np.linspace(-3, 3, 29) ** 2
    check(lambda xp, a: xp.sort(a[::-1][2:] * 2 - 1), a)
    check(lambda xp, a: xp.argsort(xp.sort(a)[::3], kind="stable"), a)
    check(lambda xp, a: xp.sort(a.reshape(29, 1), axis=1) + 1, a)


@starp_only
def test_plans_sort_rows_locally_and_1d_as_a_sample_sort():
    x = to_starp(np.random.default_rng(0).random((9, 6)))
    text = snp.sort(x, axis=1).explain()
    plan = text.split("== physical plan ==")[1]
    assert "host sort(axis=1) (split along axis 0)" in plan, text
    assert "redistribute" not in plan, text
    y = to_starp(np.random.default_rng(0).random(50))
    plan = snp.argsort(y).explain().split("== physical plan ==")[1]
    assert "(sample sort)" in plan and "redistribute" not in plan, plan


@starp_only
@pytest.mark.parametrize("name, fn", [
    ("sort", lambda xp, x: xp.sort(x, axis=0)),
    ("cumsum", lambda xp, x: xp.cumsum(x, axis=0)),
    ("median", lambda xp, x: xp.median(x, axis=0)),
    ("quantile", lambda xp, x: xp.quantile(x, [0.25, 0.5], axis=0)),
    ("fft", lambda xp, x: xp.fft.fft(x, axis=0)),
])
def test_line_ops_along_axis_0_run_on_column_blocks_not_replicated(name, fn):
    """An op along axis 0 of a row-distributed (n, m) array works on blocks of columns: the
    input moves once (about (P-1)/P of it), nobody holds all of it, and the values are NumPy's."""
    p = CURRENT_RANKS[0]
    a = np.random.default_rng(1).random((301, 13))
    x = to_starp(a).persist()
    r = fn(snp, x)
    plan = r.explain().split("== physical plan ==")[1]
    assert "(split along axis 1)" in plan, plan
    before = starp.stats()["bytes_moved"]
    r = r.persist()
    moved = starp.stats()["bytes_moved"] - before
    # The op's input (complex for the FFT) moves once; replicating it would move P - 1 copies.
    op_input_bytes = a.nbytes * (2 if name == "fft" else 1)
    assert moved <= op_input_bytes * (p - 1) / p, (moved, op_input_bytes)
    assert_same(to_numpy(r), fn(np, a))
    if p == 1:
        assert moved == 0


@starp_only
def test_1d_sort_moves_order_n_bytes_not_n_times_p():
    p = CURRENT_RANKS[0]
    n = 200_000
    a = np.random.default_rng(5).random(n)
    x = to_starp(a).persist()
    before = starp.stats()["bytes_moved"]
    s = snp.sort(x).persist()
    moved = starp.stats()["bytes_moved"] - before
    before = starp.stats()["bytes_moved"]
    i = snp.argsort(x).persist()
    moved_arg = starp.stats()["bytes_moved"] - before
    same_bits(to_numpy(s), np.sort(a, kind="stable"))
    same_bits(to_numpy(i), np.argsort(a, kind="stable"))
    replicated = n * (p - 1) * 8  # every rank gathering the whole input
    print(f"P={p}: sort moved {moved} bytes, argsort {moved_arg}; replicating the input: {replicated}")
    if p == 1:
        assert moved == 0 and moved_arg == 0
        return
    # Most elements cross once: (P-1)/P of n values, plus a small rebalance and the samples.
    assert moved <= 1.3 * n * 8 * (p - 1) / p + 64 * p**3 * 16, moved
    assert moved < replicated
    assert moved_arg <= 1.3 * n * (8 + 8) + 64 * p**3 * 16, moved_arg
