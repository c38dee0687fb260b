"""``with starp.profile(): ...``: where the time went (per kernel, per exchange, JIT)."""

from starp import _core


class profile:
    """Context manager that records, while active, the wall time of each kernel and exchange
    (on rank 0), the bytes each exchange moved, and the JIT's compiles and cache hits; prints a
    report at exit unless ``quiet=True``. The report is also ``.report()`` and ``.rows``."""

    def __init__(self, quiet=False):
        self.quiet = quiet
        self.rows = []
        self.jit = None

    def __enter__(self):
        _core.profile_start()
        return self

    def __exit__(self, *exc):
        rows, jit = _core.profile_stop()
        self.rows = [dict(what=l, calls=c, seconds=s, bytes_moved=b) for l, c, s, b in rows]
        compiles, hits, compile_s, interpreted = jit
        self.jit = dict(compiles=compiles, cache_hits=hits, compile_seconds=compile_s, interpreted_calls=interpreted)
        if not self.quiet:
            print(self.report())
        return False

    def report(self):
        lines = [f"{'seconds':>10s} {'calls':>7s} {'bytes moved':>12s}  what"]
        for r in self.rows:
            lines.append(f"{r['seconds']:10.6f} {r['calls']:7d} {r['bytes_moved']:12d}  {r['what']}")
        j = self.jit or {}
        per = j.get("compile_seconds", 0) / j["compiles"] * 1e3 if j.get("compiles") else 0.0
        lines.append(
            f"JIT: {j.get('compiles', 0)} compiled ({per:.2f} ms each), {j.get('cache_hits', 0)} cache hits, "
            f"{j.get('interpreted_calls', 0)} interpreted calls"
        )
        return "\n".join(lines)
