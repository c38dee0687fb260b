"""Redistributions in rounds: with a tiny round size every exchange takes many rounds, and the
answers stay NumPy's on every rank count."""

import numpy as np
import pytest

from _helpers import AGAINST_NUMPY, assert_same, to_numpy, to_starp

pytestmark = pytest.mark.skipif(AGAINST_NUMPY, reason="starp-specific")


@pytest.fixture
def tiny_rounds():
    import starp

    starp.config(exchange_round_bytes=24)  # three float64 per pair per round
    yield
    starp.config(exchange_round_bytes=256 << 20)


@pytest.mark.parametrize("shape", [(7, 5), (13, 4, 3), (2, 9)])
def test_transposes_and_shifts_in_rounds(tiny_rounds, shape):
    x = np.arange(np.prod(shape), dtype=np.float64).reshape(shape) * 0.5 - 3
    a = to_starp(x)
    assert_same(to_numpy(a.T + 0), x.T + 0)
    assert_same(to_numpy(a[1:] - a[:-1]), x[1:] - x[:-1])
    assert_same(to_numpy(a.reshape(-1)[::-2] * 1), x.reshape(-1)[::-2] * 1)
    assert_same(to_numpy(a.sum(axis=0)), x.sum(axis=0))


def test_int8_in_rounds_smaller_than_a_row(tiny_rounds):
    x = (np.arange(60) % 11).astype(np.int8).reshape(6, 10)
    a = to_starp(x)
    assert_same(to_numpy(a.T.copy()), x.T.copy())
