"""ndarray protocols and small methods NumPy programs use: pickling, copy/deepcopy, `in`, fill,
flat, dot, mT, view, tobytes, device."""

import copy
import pickle

import numpy as np
import pytest

import starp.numpy as snp
from _helpers import AGAINST_NUMPY, assert_same, check, to_numpy, to_starp

A = np.arange(39, dtype=np.float64).reshape(3, 13) / 7 - 2


@pytest.mark.parametrize("a", [A, A[:, 1::3], np.array(2.5), np.zeros((0, 4), np.int32),
                               np.array([1 + 2j, 3j], np.complex64), np.array([True, False])],
                         ids=["2d", "view", "0d", "empty", "complex64", "bool"])
def test_pickle_and_copies_keep_values_and_dtype(a):
    x = to_starp(a)
    for y in (pickle.loads(pickle.dumps(x)), copy.copy(x), copy.deepcopy(x), pickle.loads(x.dumps())):
        assert type(y) is type(x)
        assert_same(to_numpy(y), a)


def test_copies_are_independent_of_the_original():
    x = to_starp(A)
    y = copy.deepcopy(x)
    y[0, 0] = 100.0
    assert to_numpy(x)[0, 0] == A[0, 0]


def test_a_pickled_reduction_stays_a_scalar():
    s = to_starp(A).sum()
    assert_same(to_numpy(pickle.loads(pickle.dumps(s))), A.sum())
    assert float(pickle.loads(pickle.dumps(s))) == pytest.approx(A.sum())


def test_dump_to_a_file(tmp_path):
    x = to_starp(A)
    x.dump(tmp_path / "a.pkl")
    with open(tmp_path / "a.pkl", "rb") as f:
        assert_same(to_numpy(pickle.load(f)), A)


def test_contains():
    for a, v in [(A, A[1, 2]), (A, 1234.5), (np.array([1, 2, 3]), 2), (np.array([np.nan]), np.nan),
                 (np.zeros(0), 0.0), (np.array([1 + 1j]), 1 + 1j)]:
        assert (v in to_starp(a)) == (v in a)


@pytest.mark.parametrize("value", [3, 2.75, -1, True])
@pytest.mark.parametrize("dtype", [np.int16, np.float32, np.complex128, np.bool_])
def test_fill_casts_as_numpy_and_views_see_it(value, dtype):
    a = np.ones((3, 13), dtype)
    x = to_starp(a)
    v = x[1:, ::4]
    a.fill(value)
    x.fill(value)
    assert_same(to_numpy(x), a)
    assert_same(to_numpy(v), a[1:, ::4])
    # Filling a view writes into its base.
    b = np.zeros(7)
    y = to_starp(b)
    b[2:5].fill(4.5)
    y[2:5].fill(4.5)
    assert_same(to_numpy(y), b)


def test_fill_rejects_sequences():
    check(lambda xp, a: a.fill([1, 2]), np.zeros(2))


def test_flat_reads_and_writes_through():
    for a in (A.copy(), A[:, ::2].copy(), np.arange(5)):
        b = a.copy()
        x = to_starp(a)
        assert len(x.flat) == len(b.flat)
        assert_same(np.asarray(x.flat), np.asarray(b.flat))
        assert_same(to_numpy(x.flat[3]), b.flat[3])
        assert_same(to_numpy(x.flat[1:4]), b.flat[1:4])
        assert [float(v) for v in x.flat] == [float(v) for v in b.flat]
        x.flat[2] = 99
        b.flat[2] = 99
        x.flat[[0, 4]] = -1
        b.flat[[0, 4]] = -1
        assert_same(to_numpy(x), b)


def test_flat_write_into_a_view_reaches_the_base():
    b = A.copy()
    x = to_starp(A)
    v = x[:, 1::3]
    v.flat[5] = 123.0
    b[:, 1::3].flat[5] = 123.0
    assert_same(to_numpy(x), b)


def test_dot_mT_view_tobytes_device():
    check(lambda xp, a: a.dot(a.T), A)
    check(lambda xp, a: a[0].dot(a[1]), A)
    check(lambda xp, a: a.reshape(3, 13, 1).mT, A)
    check(lambda xp, a: a[0].mT, A)  # ValueError for 1-d
    check(lambda xp, a: a.view(), A)
    check(lambda xp, a: a.view(np.float64) + 1, A)
    assert to_starp(A).tobytes() == A.tobytes()
    assert to_starp(A)[:, ::2].tobytes() == A[:, ::2].tobytes()
    assert to_starp(A).device == A.device
    x = to_starp(A)
    assert x.to_device("cpu") is x


def test_view_sees_writes_to_the_base():
    x = to_starp(A)
    v = x.view()
    x[0, 0] = 42.0
    assert to_numpy(v)[0, 0] == 42.0


@pytest.mark.skipif(AGAINST_NUMPY, reason="NumPy can reinterpret bytes; starp says it cannot")
def test_view_as_another_dtype_is_not_supported():
    with pytest.raises(NotImplementedError, match="reinterpret"):
        to_starp(A).view(np.int64)
