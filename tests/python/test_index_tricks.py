"""Index tricks and index-building creation (starp.numpy._index_tricks) against NumPy itself:
mgrid, ogrid, r_, c_, s_, index_exp, ix_, indices, tri and the *_indices family,
ravel_multi_index, unravel_index, ndindex, ndenumerate, logspace, geomspace, fromfunction."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import starp.numpy as snp
from _helpers import (
    assert_same,
    check_all,
    starp_only,
    to_numpy,
    to_starp,
)




def vals(shape, dtype=np.int64):
    n = int(np.prod(shape))
    return (np.arange(n) % 5).astype(dtype).reshape(shape)


# --------------------------------------------------------------------------
# mgrid, ogrid
# --------------------------------------------------------------------------

GRID_KEYS = {
    "1d": np.s_[0:5],
    "1d_open_start": np.s_[:4],
    "1d_open_stop": np.s_[5:],
    "1d_step": np.s_[-1:1:0.3],
    "1d_neg_step": np.s_[5:-3:-2],
    "1d_complex": np.s_[0:1:5j],
    "1d_complex_one": np.s_[0:1:1j],
    "1d_complex_int": np.s_[2:10:5j],
    "1d_empty": np.s_[5:0],
    "2d": np.s_[0:5, 0:3],
    "2d_complex": np.s_[0:1:5j, 0:3],
    "2d_float": np.s_[0:1:0.25, 0:3],
    "2d_mixed": np.s_[-1:1:0.3, 2:-3:-2],
    "3d": np.s_[0:2, 1:4, 0:7:3],
    "2d_empty": np.s_[5:0, 0:2],
    "float32": np.s_[np.float32(0):np.float32(1):np.float32(0.25)],
    "float32_2d": np.s_[np.float32(0):np.float32(1):np.float32(0.25), 0:2],
    "empty_tuple": (),
}


@pytest.mark.parametrize("key", sorted(GRID_KEYS))
@pytest.mark.parametrize("grid", ["mgrid", "ogrid"])
def test_grids(grid, key):
    check_all(lambda xp: getattr(xp, grid)[GRID_KEYS[key]])


def test_grid_bad_keys():
    check_all(lambda xp: xp.mgrid[1, 2])
    check_all(lambda xp: xp.ogrid[1])


# --------------------------------------------------------------------------
# r_, c_, s_, index_exp
# --------------------------------------------------------------------------

CONCAT_CASES = {
    "scalars_slices": lambda xp: xp.r_[1, 2, np.array([3, 4]), 5:7, 0:1:3j],
    "directive_trans": lambda xp: xp.r_["-1,2,0", np.array([1, 2, 3]), np.array([4, 5, 6])],
    "directive_ndmin": lambda xp: xp.r_["0,2", [1, 2, 3], [4, 5, 6]],
    "directive_axis1": lambda xp: xp.r_["1,2,0", [1, 2, 3], [4, 5, 6]],
    "directive_3d": lambda xp: xp.r_["1,3,1", np.ones((2, 2)), np.zeros((2, 2))],
    "directive_axis_only": lambda xp: xp.r_["1", np.ones((2, 2)), np.zeros((2, 3))],
    "c_columns": lambda xp: xp.c_[np.array([1, 2, 3]), np.array([4, 5, 6])],
    "c_rows_scalars": lambda xp: xp.c_[np.array([[1, 2, 3]]), 0, 0, np.array([[4, 5, 6]])],
    "c_slices": lambda xp: xp.c_[1:4, 2],
    "c_2d": lambda xp: xp.c_[np.ones((3, 2)), np.arange(3)],
    "uint8_overflow": lambda xp: xp.r_[np.array([1], np.uint8), 300],
    "uint8_fits": lambda xp: xp.r_[np.array([1], np.uint8), 3],
    "float32_weak": lambda xp: xp.r_[np.float32(1.5), np.arange(3, dtype=np.float32), 2.0],
    "bool_int": lambda xp: xp.r_[np.array([True, False]), np.array([2, 3], np.int8)],
    "complex": lambda xp: xp.r_[1j, 0:3],
    "zero_d": lambda xp: xp.r_[np.array(5.0), np.array([1.0])],
    "empty_piece": lambda xp: xp.r_[np.zeros(0), 1:3],
    "nothing": lambda xp: xp.r_[()],
    "directive_not_first": lambda xp: xp.r_[0, "a"],
    "bad_directive": lambda xp: xp.r_["x", 1],
    "bad_directive_commas": lambda xp: xp.r_["a,b", 1],
    "mismatch": lambda xp: xp.r_["1,3,1", np.ones((2, 2)), np.zeros((3, 2))],
}


@pytest.mark.parametrize("case", sorted(CONCAT_CASES))
def test_concatenators(case):
    check_all(CONCAT_CASES[case])


def test_concatenators_with_starp_arrays():
    check_all(lambda xp, a, b: xp.r_[a, 0, b], vals((7,)), vals((13,), np.float32))
    check_all(lambda xp, a, b: xp.c_[a, b], vals((7,)), vals((7,), np.float32))
    check_all(lambda xp, a: xp.r_["0,2,0", a, a], vals((3,)))


@starp_only
def test_concatenator_matrix_forms_not_supported():
    with pytest.raises(NotImplementedError, match="matrix"):
        snp.r_["r", [1, 2], [3, 4]]
    with pytest.raises(NotImplementedError, match="matrix"):
        snp.r_["1, 2; 3, 4"]
    assert len(snp.r_) == 0


def test_index_expressions():
    assert snp.s_ is np.s_ and snp.index_exp is np.index_exp
    x = vals((7, 13))
    a = to_starp(x)
    assert_same(a[snp.s_[1:5, ::3]], x[np.s_[1:5, ::3]])
    assert_same(a[snp.index_exp[2]], x[np.index_exp[2]])


# --------------------------------------------------------------------------
# ix_, indices, fromfunction
# --------------------------------------------------------------------------

IX_ARGS = {
    "ints": ([1, 3], [0, 2, 4]),
    "bools": ([True, False, True], [False, True, True, False, True]),
    "mixed": ([1, 3], [True, False, True, True, False]),
    "empty_list": ([], [1]),
    "one": ([2],),
    "three": ([0, 1], [2], [1, 0, 3]),
    "two_d": ([[1]],),
    "none": (),
}


@pytest.mark.parametrize("case", sorted(IX_ARGS))
def test_ix(case):
    check_all(lambda xp: xp.ix_(*IX_ARGS[case]))


def test_ix_with_arrays_and_indexing():
    x = np.arange(7 * 13).reshape(7, 13)
    rows, cols = np.array([0, 6, 3]), np.array([True, False] * 6 + [True])
    check_all(lambda xp, r, c: xp.ix_(r, c), rows, cols)
    check_all(lambda xp, a, r, c: a[xp.ix_(r, c)], x, rows, cols)
    check_all(lambda xp, r: xp.ix_(r), np.zeros(0, np.int64))
    check_all(lambda xp, r: xp.ix_(r), np.zeros(0))


@pytest.mark.parametrize("dims", [(2, 3), (7,), (), (0, 3), (3, 1, 4), (13, 2), (-1,), (2, -1)], ids=str)
@pytest.mark.parametrize("dtype", [int, np.float32, np.int8, np.complex64])
@pytest.mark.parametrize("sparse", [False, True])
def test_indices(dims, dtype, sparse):
    check_all(lambda xp: xp.indices(dims, dtype=dtype, sparse=sparse))


@pytest.mark.parametrize("shape", [(3, 4), (7,), (2, 3, 2), (0, 3)], ids=str)
@pytest.mark.parametrize("dtype", [float, int, np.float32])
def test_fromfunction(shape, dtype):
    fns = {1: lambda i: i * 2 - 1, 2: lambda i, j: i * 10 + j, 3: lambda i, j, k: i + j * k}
    check_all(lambda xp: xp.fromfunction(fns[len(shape)], shape, dtype=dtype))
    check_all(lambda xp: xp.fromfunction(lambda *ix: ix[0] == 1, shape, dtype=dtype))


def test_fromfunction_kwargs():
    check_all(lambda xp: xp.fromfunction(lambda i, j, c=0: i - j + c, (3, 5), c=7))


# --------------------------------------------------------------------------
# tri, *_indices
# --------------------------------------------------------------------------


@pytest.mark.parametrize("N,M,k", [(3, None, 0), (3, 5, 1), (4, 2, -1), (-1, None, 0), (0, 3, 0), (7, 13, -3),
                                   (13, 7, 20), (5, 5, -9)], ids=str)
@pytest.mark.parametrize("dtype", [float, int, bool, np.float32, np.complex64])
def test_tri(N, M, k, dtype):
    check_all(lambda xp: xp.tri(N, M, k, dtype=dtype))


@pytest.mark.parametrize("n,k,m", [(4, 0, None), (4, -1, 6), (4, 1, None), (3, 0, 7), (0, 0, None), (7, 2, 13),
                                   (13, -20, 7), (5, 9, None), (1, 0, 1)], ids=str)
@pytest.mark.parametrize("fn", ["tril_indices", "triu_indices"])
def test_tri_indices(fn, n, k, m):
    check_all(lambda xp: getattr(xp, fn)(n, k, m))


@pytest.mark.parametrize("shape", [(3, 5), (7, 7), (0, 4), (13, 7), (3,), (2, 3, 4)], ids=str)
@pytest.mark.parametrize("k", [0, -2, 3])
@pytest.mark.parametrize("fn", ["tril_indices_from", "triu_indices_from"])
def test_tri_indices_from(fn, shape, k):
    check_all(lambda xp, a: getattr(xp, fn)(a, k), vals(shape))


def test_tri_indices_select_like_numpy():
    x = np.arange(7 * 13.0).reshape(7, 13)
    check_all(lambda xp, a: a[xp.tril_indices_from(a, -1)], x)
    check_all(lambda xp, a: a[xp.triu_indices(7, 2, 13)], x)


@pytest.mark.parametrize("n,ndim", [(4, 2), (3, 3), (0, 2), (1, 1), (5, 4)], ids=str)
def test_diag_indices(n, ndim):
    check_all(lambda xp: xp.diag_indices(n, ndim))


@pytest.mark.parametrize("shape", [(3, 3), (4, 4, 4), (0, 0), (3, 4), (3,), (2, 2, 3)], ids=str)
def test_diag_indices_from(shape):
    check_all(lambda xp, a: xp.diag_indices_from(a), vals(shape))


def test_diag_indices_write():
    def f(xp, a):
        a[xp.diag_indices_from(a)] = 100
        return a

    check_all(f, vals((4, 4)))


@pytest.mark.parametrize("n", [0, 1, 3, 7])
@pytest.mark.parametrize("k", [0, 1, -1])
@pytest.mark.parametrize("mask", ["triu", "tril"])
def test_mask_indices(n, k, mask):
    check_all(lambda xp: xp.mask_indices(n, getattr(xp, mask), k))


# --------------------------------------------------------------------------
# ravel_multi_index, unravel_index
# --------------------------------------------------------------------------

RAVEL_CASES = {
    "basic": (([1, 2], [3, 4]), (3, 5), {}),
    "out_of_range": (([1, 2], [3, 5]), (3, 5), {}),
    "negative": (([1, -1], [3, 4]), (3, 5), {}),
    "floats": (([1.0, 2], [3, 4]), (3, 5), {}),
    "wrap": (([1, 2, -7, 11], [3, 4, -1, 30]), (3, 5), {"mode": "wrap"}),
    "per_dim_modes": (([1, 7, -2], [-3, 9, 21]), (3, 5), {"mode": ("clip", "wrap")}),
    "clip": (([1, 7, -2], [-3, 9, 21]), (3, 5), {"mode": "clip"}),
    "int_modes": (([1, 7, -2], [-3, 9, 21]), (3, 5), {"mode": [0, 1]}),
    "bad_int_mode": (([1], [2]), (3, 5), {"mode": 5}),
    "order_F": (([1, 2], [3, 4]), (3, 5), {"order": "F"}),
    "order_f": (([1, 2], [3, 4]), (3, 5), {"order": "f"}),
    "order_A": (([1, 2], [3, 4]), (3, 5), {"order": "A"}),
    "order_None": (([1, 2], [3, 4]), (3, 5), {"order": None}),
    "order_bad": (([1, 2], [3, 4]), (3, 5), {"order": "X"}),
    "too_few": (([1, 2],), (3, 5), {}),
    "scalars": ((1, 2), (3, 5), {}),
    "np_scalars": ((np.int8(1), 2), (3, 5), {}),
    "zero_dim": (([1, 2], [3, 4]), (3, 0), {}),
    "zero_dim_empty": ((np.array([], int), np.array([], int)), (3, 0), {}),
    "no_dims": ((), (), {}),
    "broadcast": (([1, 2], [3]), (3, 5), {}),
    "broadcast_2d": ((np.arange(6).reshape(2, 3), 2), (7, 5), {"mode": "clip"}),
    "bad_broadcast": (([1, 2], [3, 4, 1]), (3, 5), {}),
    "bools": (([True, False], [3, 4]), (3, 5), {}),
    "uint64": (np.array([[1, 2], [3, 4]], dtype=np.uint64), (3, 5), {}),
    "uint8": (np.array([[1, 2], [3, 4]], dtype=np.uint8), (3, 5), {}),
    "huge_dims": (([1, 2], [3, 4]), (2**40, 2**40), {}),
    "huge_ok": (([1, 2], [3, 4]), (2**31, 2**31), {}),
    "bad_mode": (([1, 2], [3, 4]), (3, 5), {"mode": "foo"}),
    "bad_mode_prefix": (([1, 2], [3, 4]), (3, 5), {"mode": "CLIP"}),
    "empty_lists": (([], []), (3, 5), {}),
    "int_dims": (([1, 2],), 15, {}),
    "int_dims_len2": (([1, 2], [3, 4]), 15, {}),
    "float_dims": (([1, 2], [3, 4]), (3.0, 5), {}),
    "modes_length": (([1, 2], [3, 4]), (3, 5), {"mode": ("clip",)}),
    "not_a_sequence": (5, (3, 5), {}),
    "array_2d": (np.array([[1, 2], [3, 4]]), (3, 5), {}),
    "three_d": (([0, 1, 1], [2, 0, 3], [4, 4, 0]), (2, 4, 5), {"order": "F"}),
    "complex": ((np.array([1j]), np.array([1])), (3, 5), {}),
}


@pytest.mark.parametrize("case", sorted(RAVEL_CASES))
def test_ravel_multi_index(case):
    mi, dims, kw = RAVEL_CASES[case]
    check_all(lambda xp: xp.ravel_multi_index(mi, dims, **kw))


def test_ravel_multi_index_starp_inputs():
    i, j = np.array([[0, 6], [3, 2]]), np.array([12, 0])
    check_all(lambda xp, a, b: xp.ravel_multi_index((a, b), (7, 13)), i, j)
    check_all(lambda xp, a, b: xp.ravel_multi_index((a, b), (7, 13), mode="wrap"), i * 5 - 9, j - 20)
    check_all(lambda xp, a, b: xp.ravel_multi_index((a, b), (7, 13)), i, j + 1)
    check_all(lambda xp, a, b: xp.ravel_multi_index((a, b), (7, 13)), i.astype(float), j)
    check_all(lambda xp, a: xp.ravel_multi_index(a, (7, 13)), np.stack([i.ravel(), np.tile(j, 2)]))


UNRAVEL_CASES = {
    "basic": ([22, 41, 37], (7, 6), {}),
    "order_F": ([22, 41, 37], (7, 6), {"order": "F"}),
    "scalar": (1621, (6, 7, 8, 9), {}),
    "at_size": (42, (6, 7), {}),
    "negative": (-1, (6, 7), {}),
    "float": (1.0, (6, 7), {}),
    "empty_list": ([], (6, 7), {}),
    "empty_int": (np.array([], dtype=int), (6, 7), {}),
    "zero_d_shape": (0, (), {}),
    "zero_d_shape_bad": (1, (), {}),
    "zero_d_shape_many": ([0, 0], (), {}),
    "empty_shape": (0, (0, 3), {}),
    "int_shape": (3, 7, {}),
    "bool": (True, 7, {}),
    "uint8": (np.array([1, 2], np.uint8), (2, 4), {}),
    "uint64": (np.array([1, 2], np.uint64), 7, {}),
    "order_A": ([1, 2], (2, 4), {"order": "A"}),
    "order_bad": ([1, 2], (2, 4), {"order": "Q"}),
    "order_None": ([1, 2], (2, 4), {"order": None}),
    "two_d": ([[1, 2], [3, 4]], (2, 4), {}),
    "huge": ([1, 2], (2**40, 2**40), {}),
    "first_bad_reported": ([5, 99, 3, 100], (3, 4), {}),
    "negative_dim": ([1, 2], (2, -4), {}),
}


@pytest.mark.parametrize("case", sorted(UNRAVEL_CASES))
def test_unravel_index(case):
    idx, shape, kw = UNRAVEL_CASES[case]
    check_all(lambda xp: xp.unravel_index(idx, shape, **kw))


def test_unravel_index_messages_name_the_value():
    with pytest.raises(ValueError, match="index 99 is out of bounds for array with size 12"):
        snp.unravel_index(to_starp(np.array([5, 99, 3, 100])), (3, 4))
    with pytest.raises(ValueError, match="invalid entry in coordinates array"):
        snp.ravel_multi_index((to_starp(np.array([1, 3])), [0, 0]), (3, 5))


@given(st.data())
def test_ravel_unravel_roundtrip(data):
    dims = tuple(data.draw(st.lists(st.integers(1, 7), min_size=1, max_size=4)))
    size = int(np.prod(dims))
    n = data.draw(st.integers(0, 13))
    flat = np.array(data.draw(st.lists(st.integers(0, size - 1), min_size=n, max_size=n)), dtype=np.int64)
    order = data.draw(st.sampled_from(["C", "F"]))
    check_all(lambda xp, f: xp.unravel_index(f, dims, order=order), flat)
    coords = np.unravel_index(flat, dims, order=order)
    check_all(lambda xp, *c: xp.ravel_multi_index(c, dims, order=order), *coords)
    mode = data.draw(st.sampled_from(["wrap", "clip"]))
    shifted = [c * 3 - 5 for c in coords]
    check_all(lambda xp, *c: xp.ravel_multi_index(c, dims, mode=mode, order=order), *shifted)


# --------------------------------------------------------------------------
# ndindex, ndenumerate
# --------------------------------------------------------------------------


def test_ndindex_is_numpys():
    assert snp.ndindex is np.ndindex
    assert list(snp.ndindex(2, 3)) == list(np.ndindex(2, 3))


@pytest.mark.parametrize("shape", [(), (0,), (7,), (2, 3), (2, 0, 3)], ids=str)
@pytest.mark.parametrize("dtype", [np.float64, np.int8, np.complex64, np.bool_])
def test_ndenumerate(shape, dtype):
    x = vals(shape, dtype)
    got = list(snp.ndenumerate(to_starp(x)))
    want = list(np.ndenumerate(x))
    assert [i for i, _ in got] == [i for i, _ in want]
    assert [type(v) for _, v in got] == [type(v) for _, v in want]
    assert [v for _, v in got] == [v for _, v in want]
    assert list(snp.ndenumerate(x.tolist() if x.ndim else x)) == list(np.ndenumerate(x.tolist() if x.ndim else x))


# --------------------------------------------------------------------------
# logspace, geomspace
# --------------------------------------------------------------------------

LOGSPACE_CASES = {
    "basic": lambda xp: xp.logspace(0, 3, 4),
    "default_num": lambda xp: xp.logspace(-2, 2),
    "array_stop_axis": lambda xp: xp.logspace(0, np.array([1, 2]), 3, axis=-1),
    "float32": lambda xp: xp.logspace(np.float32(0), np.float32(1), 3),
    "base2": lambda xp: xp.logspace(0, 2, 5, base=2),
    "base_array": lambda xp: xp.logspace(0, 2, 5, base=np.array([2.0, 3.0])),
    "base_array_axis1": lambda xp: xp.logspace(0, 2, 5, base=np.array([2.0, 3.0]), axis=1),
    "base_np_scalar": lambda xp: xp.logspace(0, 2, 5, base=np.float32(2)),
    "dtype_int": lambda xp: xp.logspace(0, 2, 5, dtype=int),
    "dtype_f32": lambda xp: xp.logspace(0, 2, 5, dtype=np.float32),
    "num0": lambda xp: xp.logspace(0, 2, 0),
    "num1": lambda xp: xp.logspace(0, 2, 1),
    "num_neg": lambda xp: xp.logspace(0, 2, -1),
    "no_endpoint": lambda xp: xp.logspace(0, 2, 5, endpoint=False),
    "2d_start_axis1": lambda xp: xp.logspace(np.array([[0, 1], [2, 3]]), 4, 3, axis=1),
    "2d_start_axis_neg": lambda xp: xp.logspace(np.array([[0, 1], [2, 3]]), 4, 3, axis=-1),
    "bad_axis": lambda xp: xp.logspace(np.array([0, 1]), 4, 3, axis=3),
    "decreasing": lambda xp: xp.logspace(3, -1, 13),
    "complex": lambda xp: xp.logspace(0, 1j, 4),
    "same": lambda xp: xp.logspace(1, 1, 7),
    "tiny_step": lambda xp: xp.logspace(0, 1e-320, 5),
}


@pytest.mark.parametrize("case", sorted(LOGSPACE_CASES))
def test_logspace(case):
    check_all(LOGSPACE_CASES[case])


def test_logspace_starp_endpoints():
    check_all(lambda xp, a, b: xp.logspace(a, b, 7), np.array([0.0, 1.0, -2.0]), np.array([2.0, 1.0, 3.0]))
    check_all(lambda xp, a, b: xp.logspace(a, b, 7, axis=1), np.array([0.0, 1.0]), np.array(2.0))
    check_all(lambda xp, a, b: xp.logspace(a, b, 4, base=3), np.array([0.0, 1.0], np.float32), np.array([2.0, 1.0], np.float32))


GEOMSPACE_CASES = {
    "basic": lambda xp: xp.geomspace(1, 256, 9),
    "dtype_int": lambda xp: xp.geomspace(1, 256, 9, dtype=int),
    "zero": lambda xp: xp.geomspace(0, 256, 9),
    "zero_stop": lambda xp: xp.geomspace(3, 0, 9),
    "negative": lambda xp: xp.geomspace(-1000, -1, 4),
    "imaginary_line": lambda xp: xp.geomspace(1j, 1000j, 4),
    "circle": lambda xp: xp.geomspace(-1 + 0j, 1 + 0j, 5),
    "no_endpoint": lambda xp: xp.geomspace(1, 1000, 4, endpoint=False),
    "arrays_axis1": lambda xp: xp.geomspace(np.array([1, 10]), np.array([100, 1000]), 3, axis=1),
    "float32": lambda xp: xp.geomspace(np.float32(1), np.float32(8), 4),
    "dtype_f32": lambda xp: xp.geomspace(1, 8, 4, dtype=np.float32),
    "num0": lambda xp: xp.geomspace(2, 3, 0),
    "num1": lambda xp: xp.geomspace(2, 3, 1),
    "complex_general": lambda xp: xp.geomspace(1 + 1j, 8 - 2j, 7),
    "mixed_sign": lambda xp: xp.geomspace(-1, 2, 3),
    "decreasing": lambda xp: xp.geomspace(1e5, 1e-3, 13),
    "complex64": lambda xp: xp.geomspace(np.complex64(1 + 1j), np.complex64(4 + 4j), 5),
    "dtype_complex": lambda xp: xp.geomspace(1, 16, 5, dtype=complex),
    "array_neg_start": lambda xp: xp.geomspace(np.array([-1.0, 2.0]), np.array([-8.0, 32.0]), 4),
}


@pytest.mark.parametrize("case", sorted(GEOMSPACE_CASES))
def test_geomspace(case):
    check_all(GEOMSPACE_CASES[case])


def test_geomspace_exact_endpoints():
    # NumPy writes the endpoints back: exact, not exp(log(x))
    for start, stop in [(3.0, 7.0), (-0.3, -1e4), (1e-8, 17.0)]:
        r = to_numpy(snp.geomspace(start, stop, 13))
        assert r[0] == start and r[-1] == stop
        e = np.geomspace(start, stop, 13)
        assert_same(r, e)


def test_geomspace_starp_endpoints():
    check_all(lambda xp, a, b: xp.geomspace(a, b, 7), np.array([1.0, -2.0, 5.0]), np.array([8.0, -0.5, 5.0]))
    check_all(lambda xp, a, b: xp.geomspace(a, b, 5, axis=-1), np.array([[1.0], [2.0]]), np.array([3.0, 4.0]))
    check_all(lambda xp, a, b: xp.geomspace(a, b, 5), np.array([1.0, 0.0]), np.array([3.0, 4.0]))


@starp_only
def test_geomspace_stays_lazy_starp_type():
    r = snp.logspace(0, 2, 5)
    assert isinstance(r, snp.ndarray)
    assert isinstance(snp.geomspace(1, 2, 3), snp.ndarray)
    assert isinstance(snp.mgrid[0:3, 0:2], snp.ndarray)
    assert all(isinstance(x, snp.ndarray) for x in snp.ogrid[0:3, 0:2])


@starp_only
def test_numpy_functions_dispatch_to_starp():
    import warnings

    a = to_starp(np.array([22, 41, 37]))
    m = to_starp(np.ones((4, 4)))
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no fallback to NumPy (it would warn)
        r = np.unravel_index(a, (7, 6))
        assert all(isinstance(x, snp.ndarray) for x in r)
        assert isinstance(np.ravel_multi_index(r, (7, 6)), snp.ndarray)
        assert all(isinstance(x, snp.ndarray) for x in np.tril_indices_from(m))
        assert all(isinstance(x, snp.ndarray) for x in np.ix_(a, a))
        assert isinstance(np.geomspace(to_starp(np.array([1.0, 2.0])), 4.0, 3), snp.ndarray)
    assert_same(np.ravel_multi_index(r, (7, 6)), np.array([22, 41, 37]))
