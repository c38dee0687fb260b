"""starp.config(memory_limit=...): plans that would not fit fail before running, the same on
every rank; a transpose of an array larger than half the limit fits when the old array dies."""

import numpy
import pytest

import starp
import starp.numpy as np
from _helpers import AGAINST_NUMPY, assert_same

pytestmark = pytest.mark.skipif(AGAINST_NUMPY, reason="starp's memory limit")


@pytest.fixture
def limit():
    yield lambda b: starp.config(memory_limit=b)
    starp.config(memory_limit=0)


def grid(n, m):
    """a[i, j] = i * m + j, computed (a 2-d buffer of its own)."""
    a = np.arange(n * m, dtype=np.float64).reshape(n, m) + 0
    a.persist()
    return a


def truth(n, m):
    return numpy.arange(n * m, dtype=numpy.float64).reshape(n, m)


def test_a_transpose_larger_than_half_the_limit_fits_when_the_old_array_dies(ranks, limit):
    n, m = 203, 157  # does not divide by any rank count
    a = grid(n, m)
    size = n * m * 8
    limit(int(size / 0.6))  # the array is 60% of the job's memory
    a = a.T.copy()  # the old a dies with the transpose
    a.persist()
    limit(0)
    assert_same(a.compute(), truth(n, m).T)


def test_a_transpose_that_keeps_its_source_is_refused_before_it_runs(ranks, limit):
    n, m = 203, 157
    a = grid(n, m)
    limit(int(n * m * 8 / 0.6))
    b = a.T.copy()  # a stays alive: both would be held
    with pytest.raises(MemoryError, match="more than its share"):
        b.persist()
    limit(0)
    assert_same(b.compute(), truth(n, m).T)
    assert_same(a.compute(), truth(n, m))


def test_buffers_held_from_earlier_count_against_the_limit(ranks, limit):
    keep = grid(100, 100)
    limit(int(100 * 100 * 8 * 1.5))
    x = np.ones((100, 100)) * 2
    with pytest.raises(MemoryError, match="held from earlier"):
        x.persist()
    limit(0)
    assert_same(x.compute(), numpy.ones((100, 100)) * 2)
    assert_same(keep.compute(), truth(100, 100))


def test_exchanges_in_small_rounds_give_the_same_results(ranks, limit):
    # A 1 MB limit makes each round at most 1 MB / ranks / 32: many rounds per exchange.
    limit(1 << 20)
    a = grid(61, 37)
    n = truth(61, 37)
    assert_same((a.T @ a).compute(), n.T @ n)
    assert_same((a[1:] - a[:-1]).sum(axis=0).compute(), (n[1:] - n[:-1]).sum(axis=0))
    assert_same(a.T.copy().compute(), n.T)


def test_a_bad_limit_is_a_value_error():
    with pytest.raises(ValueError, match="memory_limit"):
        starp.config(memory_limit=-1)
