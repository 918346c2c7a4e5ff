//! Numerically careful element-wise building blocks shared by several activations.

use burn::prelude::*;

/// `exp(x) - 1`, accurate near zero (Kahan's method: `(u - 1) * x / ln(u)` with `u = exp(x)`),
/// exact to the last bits for large `|x|` where `exp(x) - 1` is already accurate.
pub fn expm1<const D: usize>(x: Tensor<D>) -> Tensor<D> {
    let u = x.clone().exp();
    let plain = u.clone().sub_scalar(1.0);
    let near_zero = x.clone().abs().lower_elem(0.5);
    // u == 1 only when |x| is below half an ulp of 1, where expm1(x) = x to working precision.
    let u_is_one = u.clone().equal_elem(1.0);
    let kahan = plain.clone() * x.clone() / u.log();
    let kahan = kahan.mask_where(u_is_one, x);
    plain.mask_where(near_zero, kahan)
}

/// `ln(1 + x)`, accurate near zero on every backend (some GPU backends compute `log1p` as
/// `ln(1 + x)`, which is 0 for |x| below half an ulp of 1): `ln(u) * x / (u - 1)` with
/// `u = 1 + x` (Goldberg's method), and `x` itself where `u` rounds to 1.
pub fn log1p<const D: usize>(x: Tensor<D>) -> Tensor<D> {
    let u = x.clone().add_scalar(1.0);
    let u_is_one = u.clone().equal_elem(1.0);
    let accurate = u.clone().log() * x.clone() / u.sub_scalar(1.0);
    accurate.mask_where(u_is_one, x)
}

/// The exponential-linear shape shared by ELU, SELU and CELU:
/// `scale * x` for `x > 0`, `scale * alpha * expm1(x / width)` for `x <= 0`.
/// Returns the value and the derivative (the left branch at 0, as PyTorch does).
pub fn exponential_linear<const D: usize>(
    x: Tensor<D>,
    scale: f64,
    alpha: f64,
    width: f64,
    with_slope: bool,
) -> (Tensor<D>, Option<Tensor<D>>) {
    let positive = x.clone().greater_elem(0.0);
    // Clamp before exp so the discarded branch never overflows.
    let negative_part = x.clone().clamp_max(0.0).div_scalar(width);
    let value = expm1(negative_part.clone())
        .mul_scalar(scale * alpha)
        .mask_where(positive.clone(), x.clone().mul_scalar(scale));
    let slope = with_slope.then(|| {
        negative_part
            .exp()
            .mul_scalar(scale * alpha / width)
            .mask_where(positive, x.ones_like().mul_scalar(scale))
    });
    (value, slope)
}

/// `(sigmoid(z), 1 - sigmoid(z))`, both to full relative precision, from one `exp(-|z|)`.
pub fn sigmoid_pair<const D: usize>(z: Tensor<D>) -> (Tensor<D>, Tensor<D>) {
    let e = z.clone().abs().neg().exp();
    let big = e.clone().add_scalar(1.0).recip();
    let small = e * big.clone();
    let non_negative = z.greater_equal_elem(0.0);
    let s = small.clone().mask_where(non_negative.clone(), big.clone());
    let one_minus_s = big.mask_where(non_negative, small);
    (s, one_minus_s)
}

/// The value of a one-element tensor, as f64 (for recording trained parameters).
pub fn scalar(t: Tensor<1>) -> f64 {
    t.into_data().iter::<f64>().next().unwrap_or(f64::NAN)
}
