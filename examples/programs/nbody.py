"""Gravitational n-body simulation (all pairs, softened, leapfrog / kick-drift-kick), the kind of
"nbody" program found in the Python benchmark suites (pyperformance, the Computer Language
Benchmarks Game) written the NumPy way: pairwise displacements by broadcasting instead of loops.
"""


def inputs(np, n=64, seed=0):
    rng = np.random.default_rng(seed)
    return {
        "pos": rng.standard_normal((n, 3)),
        "vel": 0.1 * rng.standard_normal((n, 3)),
        "mass": rng.uniform(0.5, 1.5, size=n) / n,
    }


def accelerations(xp, pos, mass, G, soft):
    d = pos[None, :, :] - pos[:, None, :]  # d[i, j] = pos[j] - pos[i], shape (n, n, 3)
    r2 = (d ** 2).sum(axis=2) + soft ** 2
    inv_r3 = r2 ** -1.5
    return G * (d * (inv_r3 * mass[None, :])[:, :, None]).sum(axis=1)


def energy(xp, pos, vel, mass, G, soft):
    kinetic = 0.5 * (mass * (vel ** 2).sum(axis=1)).sum()
    d = pos[None, :, :] - pos[:, None, :]
    r = xp.sqrt((d ** 2).sum(axis=2) + soft ** 2)
    pair = mass[:, None] * mass[None, :] / r
    # each pair counted twice, and the diagonal holds the softened self-interaction m_i^2 / soft
    potential = -0.5 * G * (pair.sum() - (mass ** 2 / soft).sum())
    return kinetic + potential


def run(xp, pos, vel, mass, steps=20, dt=0.01, G=1.0, soft=0.1):
    pos, vel, mass = xp.asarray(pos), xp.asarray(vel), xp.asarray(mass)
    e0 = energy(xp, pos, vel, mass, G, soft)
    acc = accelerations(xp, pos, mass, G, soft)
    for _ in range(steps):
        vel = vel + 0.5 * dt * acc
        pos = pos + dt * vel
        acc = accelerations(xp, pos, mass, G, soft)
        vel = vel + 0.5 * dt * acc
    e1 = energy(xp, pos, vel, mass, G, soft)
    com = (mass[:, None] * pos).sum(axis=0) / mass.sum()
    return {"pos": pos, "vel": vel, "energy0": e0, "energy1": e1, "center_of_mass": com}


if __name__ == "__main__":
    import numpy

    import starp.numpy

    for xp in (numpy, starp.numpy):
        r = run(xp, **inputs(numpy))
        print(xp.__name__, float(r["energy0"]), float(r["energy1"]))
