//! The arithmetic the branch-free kernels are written in, for float64 and float32.
//!
//! The kernels in `kernel.rs` are generic over [`Real`]. Float32 tensors run the float32
//! instantiation: twice the vector lanes of float64 and shorter polynomials, within a few float32
//! epsilon of the exact values (tested per kernel); float64 is kept for the tests, where the same
//! formulas agree with the C library to 1e-13.

use std::ops::{Add, Div, Mul, Neg, Sub};

use super::exp::exp;

/// A float type the kernels compute in. Branch-free: every function here is selects and
/// arithmetic, so loops over slices vectorise. NaN stays NaN.
pub trait Real:
    Copy
    + PartialOrd
    + Add<Output = Self>
    + Sub<Output = Self>
    + Mul<Output = Self>
    + Div<Output = Self>
    + Neg<Output = Self>
{
    /// A constant (or a kernel parameter), rounded to this type.
    fn c(v: f64) -> Self;
    /// `|x|`.
    fn magnitude(self) -> Self;
    /// `exp(x)`.
    fn exp(self) -> Self;
    /// `(exp(n), exp(n) - 1)` for `n <= 0`, the second to full relative precision near 0.
    fn exp_and_expm1(self) -> (Self, Self);
    /// `ln(1 + e)` for `e` in `[0, 1]`, to full relative precision for tiny `e`.
    fn log1p_unit(self) -> Self;
}

impl Real for f64 {
    #[inline(always)]
    fn c(v: f64) -> Self {
        v
    }
    #[inline(always)]
    fn magnitude(self) -> Self {
        self.abs()
    }
    #[inline(always)]
    fn exp(self) -> Self {
        exp(self)
    }
    /// `exp(n) - 1` has an absolute error of about 1e-16, too much relative to a tiny result, so
    /// for |n| < 2e-3 the Taylor polynomial of `expm1` to degree 5 is used instead (relative
    /// error below `|n|^5 / 720 = 5e-17` there; `exp(n) - 1` is within 6e-14 beyond it).
    #[inline(always)]
    fn exp_and_expm1(self) -> (Self, Self) {
        let n = self;
        let u = exp(n);
        let taylor =
            n * (1.0 + n * (1.0 / 2.0 + n * (1.0 / 6.0 + n * (1.0 / 24.0 + n * (1.0 / 120.0)))));
        (u, if n > -2e-3 { taylor } else { u - 1.0 })
    }
    /// `2 atanh(f)` with `f = e / (2 + e)` in [0, 1/3], by its odd series to `f^31` (the next
    /// term is below 1e-15 relative).
    #[inline(always)]
    fn log1p_unit(self) -> Self {
        let f = self / (2.0 + self);
        let f2 = f * f;
        let mut series = 1.0 / 31.0;
        let mut k = 29.0;
        while k >= 1.0 {
            series = 1.0 / k + f2 * series;
            k -= 2.0;
        }
        2.0 * f * series
    }
}

/// Float32 `exp`: `ln 2` split so that `k * LN2_HI` is exact for `|k| < 2^9`:
/// 0.693145751953125, ln 2 with its low 9 significand bits zero, and the rest.
const LN2_HI: f32 = f32::from_bits(0x3f31_7200);
const LN2_LO: f32 = 1.428_606_8e-6;
/// `1.5 * 2^23`: adding it rounds to an integer.
const SHIFT: f32 = 12_582_912.0;
/// Float32 `exp` clamps its argument to `[EXP_MIN, EXP_MAX]`: below, the result is under
/// float32's smallest subnormal; above, over its largest float.
const EXP_MIN: f32 = -104.0;
const EXP_MAX: f32 = 88.7;

/// `exp(r) - 1` for `|r| <= 0.35`: its Taylor polynomial to degree 7 (error below 1.5e-8
/// relative), by Estrin's scheme in fused multiply-adds (one rounding each; with the reduction's
/// two, the float32 activations built on `exp` ran 11-19% faster forward and backward on the
/// Intel Xeon than in separate multiplies and adds: `actbench bench activations --elements
/// 1605632`).
#[inline(always)]
fn expm1_near_zero(r: f32) -> f32 {
    let r2 = r * r;
    let r4 = r2 * r2;
    let low = r2.mul_add(r.mul_add(1.0 / 120.0, 1.0 / 24.0), r.mul_add(1.0 / 6.0, 0.5));
    let high = r.mul_add(1.0 / 5040.0, 1.0 / 720.0);
    r2.mul_add(r4.mul_add(high, low), r)
}

/// Cody and Waite's reduction: `x = k ln 2 + r`, `|r| <= ln 2 / 2` (plus `extra`, a small addend
/// of the argument kept apart for precision), `x` clamped to `[EXP_MIN, EXP_MAX]`. Returns `r`
/// and `2^k` as two factors, so that results down to float32's subnormals come out right.
#[inline(always)]
fn reduce(x: f32, extra: f32) -> (f32, f32, f32) {
    let x = if x < EXP_MIN { EXP_MIN } else { x };
    let x = if x > EXP_MAX { EXP_MAX } else { x };
    let shifted = x.mul_add(std::f32::consts::LOG2_E, SHIFT);
    let k = shifted - SHIFT;
    let r = (-k).mul_add(LN2_LO, (-k).mul_add(LN2_HI, x)) + extra;
    // In [2^23, 2^24) consecutive floats are consecutive integers, so the bit difference is k.
    let k = shifted.to_bits() as i32 - SHIFT.to_bits() as i32;
    let half = k >> 1;
    let power = |e: i32| f32::from_bits(((e + 127) as u32) << 23);
    (r, power(half), power(k - half))
}

/// `exp(x + extra)`, `extra` a small addend kept apart for precision (see [`reduce`]).
#[inline(always)]
pub fn exp_f32_split(x: f32, extra: f32) -> f32 {
    let (r, scale_1, scale_2) = reduce(x, extra);
    (1.0 + expm1_near_zero(r)) * scale_1 * scale_2
}

impl Real for f32 {
    #[inline(always)]
    fn c(v: f64) -> Self {
        v as f32
    }
    #[inline(always)]
    fn magnitude(self) -> Self {
        self.abs()
    }
    #[inline(always)]
    fn exp(self) -> Self {
        exp_f32_split(self, 0.0)
    }
    /// From one reduction `n = k ln 2 + r`: `exp(n) = 2^k (1 + q)` and
    /// `expm1(n) = 2^k q + (2^k - 1)` with `q = expm1(r)`, exact for `k = 0` and one rounding
    /// of a sum at least 1/2 in magnitude otherwise, so both keep their relative precision.
    #[inline(always)]
    fn exp_and_expm1(self) -> (Self, Self) {
        let (r, scale_1, scale_2) = reduce(self, 0.0);
        let q = expm1_near_zero(r);
        let scale = scale_1 * scale_2;
        ((1.0 + q) * scale_1 * scale_2, scale * q + (scale - 1.0))
    }
    /// `2 atanh(f)` with `f = e / (2 + e)` in [0, 1/3], by its odd series to `f^15` (the next
    /// term is below 2e-9 relative).
    #[inline(always)]
    fn log1p_unit(self) -> Self {
        let f = self / (2.0 + self);
        let f2 = f * f;
        let f4 = f2 * f2;
        // Estrin's scheme in fused multiply-adds, as `expm1_near_zero`
        let low = f4.mul_add(f2.mul_add(1.0 / 7.0, 1.0 / 5.0), f2.mul_add(1.0 / 3.0, 1.0));
        let high =
            f4.mul_add(f2.mul_add(1.0 / 15.0, 1.0 / 13.0), f2.mul_add(1.0 / 11.0, 1.0 / 9.0));
        2.0 * f * (f4 * f4).mul_add(high, low)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const EPS: f64 = f32::EPSILON as f64;

    #[test]
    fn float32_exp_is_within_2_epsilon_down_to_the_subnormals() {
        let mut worst: f64 = 0.0;
        for i in 0..=400_000 {
            let x = (-87.0 + 175.0 * i as f64 / 400_000.0) as f32;
            let exact = (x as f64).exp();
            worst = worst.max((Real::exp(x) as f64 - exact).abs() / exact / EPS);
        }
        assert!(worst < 2.0, "relative error up to {worst} epsilon");
        // Subnormal results: within half the smallest subnormal of the rounded exact value.
        for x in [-88.0f32, -95.0, -100.0, -103.0] {
            let exact = (x as f64).exp();
            assert!((Real::exp(x) as f64 - exact).abs() <= 1.5e-45, "exp({x})");
        }
        assert_eq!(Real::exp(f32::NEG_INFINITY), 0.0);
        assert!(Real::exp(f32::NAN).is_nan());
    }

    #[test]
    fn float32_expm1_and_log1p_keep_relative_precision() {
        let (mut expm1, mut log1p): (f64, f64) = (0.0, 0.0);
        for i in 1..=400_000 {
            let n = (-30.0 * i as f64 / 400_000.0) as f32;
            let exact = (n as f64).exp_m1();
            expm1 = expm1.max((Real::exp_and_expm1(n).1 as f64 - exact).abs() / -exact / EPS);
            let e = (i as f64 / 400_000.0) as f32;
            let exact = (e as f64).ln_1p();
            log1p = log1p.max((e.log1p_unit() as f64 - exact).abs() / exact / EPS);
        }
        // Around -ln(2)/2, where the reduction's k goes from 0 to -1.
        for n in [-1e-30f32, -1e-7, -1e-3, -0.3465, -0.3467, -0.349, -0.351] {
            let exact = (n as f64).exp_m1();
            expm1 = expm1.max((Real::exp_and_expm1(n).1 as f64 - exact).abs() / -exact / EPS);
        }
        assert!(expm1 < 2.0, "expm1: relative error up to {expm1} epsilon");
        assert!(log1p < 3.0, "log1p: relative error up to {log1p} epsilon");
    }
}
