"""The array API standard's names: each against NumPy 2's function of the same name."""

import numpy
import numpy as np
import pytest

import starp.numpy as snp
from _helpers import assert_same, check, to_numpy, to_starp

X = numpy.array([[1.5, -0.0, numpy.nan], [-2.0, 3.0, 0.0]])
I = numpy.array([[3, 1, 3], [0, -2, 1]], dtype=numpy.int32)


@pytest.mark.parametrize(
    "f",
    [
        lambda xp, a, b: xp.pow(a, 2),
        lambda xp, a, b: xp.bitwise_invert(b),
        lambda xp, a, b: xp.positive(a),
        lambda xp, a, b: xp.signbit(a),
        lambda xp, a, b: xp.signbit(b),
        lambda xp, a, b: xp.concat([a, a], axis=1),
        lambda xp, a, b: xp.concat([a, b], axis=None),
        lambda xp, a, b: xp.permute_dims(a, (1, 0)),
        lambda xp, a, b: xp.matrix_transpose(a),
        lambda xp, a, b: xp.vecdot(b, b),
        lambda xp, a, b: xp.vecdot(b, b, axis=0),
        lambda xp, a, b: xp.broadcast_arrays(a[:1], b)[0],
        lambda xp, a, b: xp.unstack(b, axis=1)[2],
        lambda xp, a, b: xp.cumulative_sum(b, axis=1),
        lambda xp, a, b: xp.cumulative_sum(b, axis=0, include_initial=True),
        lambda xp, a, b: xp.cumulative_prod(b[0], include_initial=True),
        lambda xp, a, b: xp.unique_values(b),
        lambda xp, a, b: xp.unique_counts(b).counts,
        lambda xp, a, b: xp.unique_inverse(b).inverse_indices,
        lambda xp, a, b: xp.unique_all(b).indices,
    ],
)
def test_standard_names_match_numpy(ranks, f):
    check(f, X, I)


def test_isdtype_and_errors():
    assert snp.isdtype(snp.float64, "real floating") is numpy.isdtype(numpy.float64, "real floating")
    assert snp.isdtype(snp.asarray(I).dtype, "integral")
    with pytest.raises(ValueError):
        snp.matrix_transpose(snp.ones(3))
    with pytest.raises(ValueError):
        snp.vecdot(snp.ones(3), snp.ones(4))
    with pytest.raises(TypeError):
        snp.positive(snp.ones(2, dtype=bool))


def test_the_namespace_is_starp_numpy():
    x = snp.ones(3)
    assert x.__array_namespace__() is snp
    compat = pytest.importorskip("array_api_compat")
    assert compat.array_namespace(x) is snp


@pytest.mark.parametrize("a", [np.arange(7.0), np.arange(39, dtype=np.int16).reshape(3, 13)[:, ::2],
                               np.array(2.5 + 1j), np.zeros((0, 3), np.float32), np.array([True, False])],
                         ids=["f64", "strided-int16", "0d-complex", "empty", "bool"])
def test_dlpack_round_trip(a):
    x = to_starp(a)
    assert x.__dlpack_device__() == a.__dlpack_device__()
    assert_same(np.from_dlpack(x), a)
    assert_same(to_numpy(snp.from_dlpack(a)), a)
    assert_same(to_numpy(snp.from_dlpack(x)), a)
