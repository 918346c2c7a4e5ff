//! The check every formula passes before any training: finite values and derivatives on a grid
//! over [-1e4, 1e4] in float32, evaluated exactly as training evaluates it (burn tensors,
//! autodiff); and the properties tables show, estimated on the same grid.

use burn::prelude::*;
use burn::tensor::{DType, TensorCreationOptions, TensorData};

use super::Formula;
use super::expr::Function;
use crate::backend::Backend;
use crate::info::Properties;

/// Largest |x| checked.
pub const CHECK_RANGE: f64 = 1e4;

/// The check grid: 0, every 0.01 on [-10, 10], and 100 points per decade from 1e-6 to 1e4 on
/// both sides, rounded to float32 (3,995 distinct points).
pub fn grid() -> Vec<f64> {
    let mut xs: Vec<f64> = (-1000..=1000).map(|k| k as f64 / 100.0).collect();
    for k in 0..=1000 {
        let m = 10f64.powf(-6.0 + k as f64 / 100.0);
        xs.extend([m, -m]);
    }
    let mut xs: Vec<f64> = xs.into_iter().map(|x| x as f32 as f64).collect();
    xs.sort_by(f64::total_cmp);
    xs.dedup();
    xs
}

/// Values and derivatives of a formula on the grid.
pub struct Sampled {
    /// The grid points ([`grid`]), as float32 values.
    pub x: Vec<f64>,
    /// f(x) at each point.
    pub y: Vec<f64>,
    /// f'(x) at each point, from autodiff.
    pub dy: Vec<f64>,
    /// Gradient of sum(f(x)) with respect to each learnable parameter.
    pub dparams: Vec<(String, f64)>,
}

/// The device the check runs on: the first compiled CPU backend (any compiled backend otherwise).
fn device() -> Result<Device, String> {
    let backends = Backend::compiled();
    let backend = backends
        .iter()
        .copied()
        .find(|b| matches!(b, Backend::Flex | Backend::Ndarray))
        .or_else(|| backends.first().copied())
        .ok_or("no backend is compiled in")?;
    backend.device().map_err(|e| e.to_string())
}

/// Evaluates `formula` (parameters at their given values) on the grid, in float32, with autodiff.
pub fn sample(formula: &std::sync::Arc<Formula>) -> Result<Sampled, String> {
    let device = device()?.autodiff();
    let values = formula.defaults();
    let module = super::FormulaActivation::new(formula, &values, &device);
    let xs = grid();
    let options = TensorCreationOptions::new(device).with_dtype(DType::F32);
    let input =
        Tensor::<1>::from_data(TensorData::new(xs.clone(), [xs.len()]), options).require_grad();
    let y = module.forward(input.clone());
    let grads = y.clone().sum().backward();
    let dy = input.grad(&grads).map(to_vec).unwrap_or_else(|| vec![0.0; xs.len()]);
    let dparams = module
        .learned_params()
        .map(|(name, p)| {
            let g = p.grad(&grads).map(|g| to_vec(g)[0]).unwrap_or(0.0);
            (name.to_string(), g)
        })
        .collect();
    Ok(Sampled { x: to_vec(input.detach()), y: to_vec(y.detach()), dy, dparams })
}

fn to_vec(t: Tensor<1>) -> Vec<f64> {
    t.into_data().iter::<f64>().collect()
}

/// The first problem found: a non-finite value, derivative or parameter gradient.
pub fn problem(formula: &Formula, s: &Sampled) -> Option<String> {
    let describe = |what: &str, values: &[f64]| -> Option<String> {
        let bad: Vec<usize> = (0..values.len()).filter(|&i| !values[i].is_finite()).collect();
        let first = *bad.iter().min_by(|&&a, &&b| s.x[a].abs().total_cmp(&s.x[b].abs()))?;
        let more = match bad.len() - 1 {
            0 => String::new(),
            n => format!(" (and at {n} more of the {} check points)", s.x.len()),
        };
        Some(format!("{what} is {} at x = {}{more}", values[first], s.x[first] as f32))
    };
    let hint = if formula.expr.calls(|f| f == Function::Where) {
        "; note that where(c, a, b) passes a zero gradient to the branch it does not take, and \
         zero times an infinite derivative is NaN: keep both branches finite (e.g. exp(min(x, 0)))"
    } else {
        ""
    };
    let found = describe("f(x)", &s.y).or_else(|| describe("f'(x)", &s.dy)).or_else(|| {
        s.dparams.iter().find(|(_, g)| !g.is_finite()).map(|(name, g)| {
            format!("the gradient of parameter `{name}` summed over the grid is {g}")
        })
    })?;
    Some(format!(
        "{found}; a formula must be finite, with a finite derivative, everywhere on \
         [-{CHECK_RANGE:e}, {CHECK_RANGE:e}] in float32{hint}"
    ))
}

/// Properties estimated on the grid (monotonic: f' >= 0 at every point; bounded: |f| at the
/// ends of the grid no more than twice its extreme on [-100, 100], plus one; zero-centred: f(0)
/// = 0 and f takes both signs), and from the formula's text (smooth: no abs, min, max or where;
/// needs-exp: a transcendental function).
pub fn properties(formula: &Formula, s: &Sampled) -> Properties {
    let inner: Vec<f64> =
        s.x.iter().zip(&s.y).filter(|(x, _)| x.abs() <= 100.0).map(|(_, y)| *y).collect();
    let fold =
        |v: &[f64], pick: fn(f64, f64) -> f64, start: f64| v.iter().copied().fold(start, pick);
    let (inner_min, inner_max) =
        (fold(&inner, f64::min, f64::INFINITY), fold(&inner, f64::max, f64::NEG_INFINITY));
    let (min, max) = (fold(&s.y, f64::min, f64::INFINITY), fold(&s.y, f64::max, f64::NEG_INFINITY));
    let at_zero = s.x.iter().position(|x| *x == 0.0).map(|i| s.y[i]).unwrap_or(f64::NAN);
    let scale = fold(&s.dy.iter().map(|d| d.abs()).collect::<Vec<_>>(), f64::max, 0.0);
    Properties {
        zero_centred: at_zero.abs() <= 1e-6 && min < 0.0 && max > 0.0,
        bounded_below: min >= -(2.0 * inner_min.abs() + 1.0),
        bounded_above: max <= 2.0 * inner_max.abs() + 1.0,
        monotonic: s.dy.iter().all(|d| *d >= -1e-6 * scale.max(1.0)),
        smooth: !formula.expr.calls(Function::has_kink),
        needs_exp: formula.expr.calls(Function::transcendental)
            || formula.expr.any_fractional_power(),
    }
}
