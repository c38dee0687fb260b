"""Results handed to NumPy: copies that are NumPy's own, moves for temporaries, recycled memory."""

import gc

import numpy
import pytest

import starp
import starp.numpy as np
from _helpers import assert_same


def test_a_temporary_result_is_numpys_own_array(ranks):
    a = np.arange(11.0)
    r = (a * 2 + 1).compute()
    assert_same(r, numpy.arange(11.0) * 2 + 1)
    r[0] = 99.0  # writable, and no starp array sees it
    assert r.flags.writeable
    assert_same(a.compute(), numpy.arange(11.0))


def test_writing_a_fetched_array_does_not_change_the_starp_array(ranks):
    x = np.arange(7.0) * 3
    r = x.compute()
    r[1] = -1.0
    assert_same(x.compute(), numpy.arange(7.0) * 3)
    y = x + 1  # a lazy reader of x made before and after the write sees x's values
    r[2] = -2.0
    assert_same(y.compute(), numpy.arange(7.0) * 3 + 1)


def test_views_and_shared_values_fetch_correctly(ranks):
    a = np.arange(20.0).reshape(4, 5)
    n = numpy.arange(20.0).reshape(4, 5)
    assert_same(a[::2, 1:].compute(), n[::2, 1:])
    assert_same((a.T * 1).compute(), n.T * 1)
    b = a + 1
    c = b  # two names for one array: not a temporary
    assert_same(c.compute(), n + 1)
    assert_same(b.compute(), n + 1)


def test_several_outputs_of_one_pass(ranks):
    a = np.arange(13.0)
    b = np.ones(13) * 2
    n = numpy.arange(13.0)
    s, p, d = starp.compute(a + b, a * b, b - 1)
    assert_same(s, n + 2)
    assert_same(p, n * 2)
    assert_same(d, numpy.ones(13))


def test_results_survive_their_memory_being_recycled(ranks):
    a = np.arange(100_000.0)
    n = numpy.arange(100_000.0)
    kept = []
    for k in range(6):
        r = (a * k).compute()
        if k % 2:
            kept.append((k, r))
        del r
        gc.collect()
    for k, r in kept:
        assert_same(r, n * k)


def test_compute_of_a_temporary_twice_in_one_expression(ranks):
    a = np.arange(5.0)
    x = a + 1
    assert_same(x.compute() + (x * 1).compute(), 2 * (numpy.arange(5.0) + 1))


def test_a_loop_that_rebinds_its_array_reuses_the_buffer_and_keeps_values(ranks):
    x = np.arange(9.0)
    n = numpy.arange(9.0)
    for _ in range(20):
        x = x * 2 + 1
        x.persist()
        n = n * 2 + 1
    assert_same(x.compute(), n)


def test_an_input_still_seen_through_a_view_is_not_overwritten(ranks):
    x = np.arange(10.0) + 0
    x.persist()
    v = x[2:5]
    w = x  # another name for the old array
    x = x * 3
    x.persist()
    assert_same(v.compute(), numpy.arange(10.0)[2:5])
    assert_same(w.compute(), numpy.arange(10.0))
    assert_same(x.compute(), numpy.arange(10.0) * 3)


def test_a_failure_on_one_rank_mid_plan_is_one_exception(ranks):
    # In-process ranks: the failing rank tells the others at the next exchange.
    from starp import _core

    a = np.arange(31.0)
    a.persist()
    target = ranks - 1
    _core.inject_failure(target, 0)
    with pytest.raises(MemoryError, match=f"injected failure on rank {target} at step 0"):
        (np.exp(a)[1:] - a[:-1]).sum().compute()
    n = numpy.arange(31.0)
    assert_same((np.exp(a)[1:] - a[:-1]).sum().compute(), (numpy.exp(n)[1:] - n[:-1]).sum())
