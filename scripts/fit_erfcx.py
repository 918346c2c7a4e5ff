#!/usr/bin/env python3
"""Fits the polynomial behind GELU's normal CDF (crates/activations/src/fused/normal.rs).

erfc(z) = exp(-z^2) * erfcx(z); with t = 1 / (1 + P z), erfcx(z) / t is smooth on t in (0, 1].
This fits it by a polynomial in t, least squares on the relative error at Chebyshev nodes,
reweighted a few times toward the minimax fit, rounds the coefficients to float32, and prints
them (degree 0 up) with the worst relative error of their Horner evaluation on a fine grid
(in float64, against scipy's erfcx).

    python3 -m venv .venv && .venv/bin/pip install numpy scipy
    .venv/bin/python scripts/fit_erfcx.py [--p 0.35] [--degree 11]
"""

import argparse

import numpy as np
from numpy.polynomial import chebyshev, polynomial
from scipy.special import erfcx


def target(t, p):
    return erfcx((1 / t - 1) / p) / t


def fit(p, degree, nodes=6000, rounds=8):
    k = np.arange(nodes)
    t = 0.5 + 0.5 * np.cos(np.pi * (k + 0.5) / nodes)
    q = target(t, p)
    weights = 1 / q
    for _ in range(rounds):
        cheb = chebyshev.chebfit(2 * t - 1, q, degree, w=weights)
        residual = np.abs(chebyshev.chebval(2 * t - 1, cheb) / q - 1)
        weights = weights * (1 + residual / residual.max())
    # Chebyshev series in u = 2t - 1 -> monomials in t.
    coefficients = np.zeros(1)
    for i, c in enumerate(chebyshev.cheb2poly(cheb)):
        coefficients = polynomial.polyadd(coefficients, c * polynomial.polypow([-1, 2], i))
    return coefficients


def horner(coefficients, t):
    acc = np.full_like(t, coefficients[-1])
    for c in coefficients[-2::-1]:
        acc = acc * t + c
    return acc


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--p", type=float, default=0.35, help="t = 1 / (1 + P z)")
    parser.add_argument("--degree", type=int, default=11)
    args = parser.parse_args()
    coefficients = fit(args.p, args.degree).astype(np.float32).astype(np.float64)
    t = np.concatenate([np.linspace(1e-9, 1, 400001), np.geomspace(1e-9, 1e-2, 10000)])
    error = np.max(np.abs(horner(coefficients, t) / target(t, args.p) - 1))
    print(f"// P = {args.p}, degree {args.degree}, float32: worst relative error {error:.1e}")
    for c in coefficients:
        print(f"    {float(c)!r},")


if __name__ == "__main__":
    main()
