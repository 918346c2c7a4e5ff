//! The element-wise part of one LSTM or GRU time step, on slices, forward and backward, with
//! any gate and candidate activation that has a one-pass kernel (`Kernel`).
//!
//! Written out in tensor operations, one LSTM step is about 15 operations forward (four slices
//! of the gate pre-activations, three gate activations, two candidate activations, three
//! products, a sum) and more backward, each a few hundred elements: the step's time goes to
//! allocation and autodiff bookkeeping, not arithmetic. Here the step is two operations (the
//! cell state and the output, so each has one output tensor) and the GRU's one.
//!
//! Every value and gradient is computed with the same operations in the same order as the
//! tensor version in `rnn.rs` (the activations through the same kernels), so the results are
//! the same bits (tested there).
//!
//! Layouts: gate pre-activations `[rows, parts * hidden]` with the parts in the order of
//! `rnn.rs` (LSTM `[i, f, g, o]`, GRU `[r, z, n]`); states `[rows, hidden]`.

use actbench_activations::fused::Kernel;
use actbench_activations::fused::slices::Pass;

use super::real::Real;

/// The activations of a cell: `gate` on the gates, `act` on the candidate (and LSTM's output).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CellKernels {
    pub gate: Kernel,
    pub act: Kernel,
}

/// Part `k` of every row of `x` (`[rows, parts * hidden]`), as `[rows, hidden]`.
fn part<E: Real>(x: &[E], parts: usize, hidden: usize, k: usize) -> Vec<E> {
    x.chunks_exact(parts * hidden)
        .flat_map(|row| &row[k * hidden..(k + 1) * hidden])
        .copied()
        .collect()
}

/// Writes the gradient `values` (`[rows, hidden]`) into part `k` of every row of `x`, plus zero:
/// in the tensor version each part's gradient is added to the zeros of the other parts' slice
/// gradients, which turns -0 into +0, and so does this.
fn set_part<E: Real>(x: &mut [E], parts: usize, hidden: usize, k: usize, values: &[E]) {
    for (row, values) in x.chunks_exact_mut(parts * hidden).zip(values.chunks_exact(hidden)) {
        for (x, &v) in row[k * hidden..(k + 1) * hidden].iter_mut().zip(values) {
            *x = v + E::ZERO;
        }
    }
}

/// `f(x)` for every element.
fn values<E: Real>(kernel: Kernel, x: &[E]) -> Vec<E> {
    let mut out = vec![E::ZERO; x.len()];
    E::RUN(kernel, Pass::Forward { x, out: &mut out });
    out
}

/// `grad * f'(x)` for every element, written over `grad`.
fn times_slope<E: Real>(kernel: Kernel, x: &[E], mut grad: Vec<E>) -> Vec<E> {
    E::RUN(kernel, Pass::BackwardInPlace { x, grad: &mut grad });
    grad
}

/// `a * b` element by element.
fn product<E: Real>(a: &[E], b: &[E]) -> Vec<E> {
    a.iter().zip(b).map(|(&a, &b)| a * b).collect()
}

/// `a + b` element by element.
fn sum<E: Real>(a: &[E], b: &[E]) -> Vec<E> {
    a.iter().zip(b).map(|(&a, &b)| a + b).collect()
}

/// Which half of an LSTM step an op computes: each has one output tensor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LstmOp {
    /// The cell state `c'` from z and c ([`lstm_state`]).
    State,
    /// The output `h'` from z and the new state c' ([`lstm_output`]).
    Output,
}

/// [`lstm_state`] or [`lstm_output`]: `c` is the state the op reads.
pub fn lstm<E: Real>(op: LstmOp, k: CellKernels, hidden: usize, z: &[E], c: &[E]) -> Vec<E> {
    match op {
        LstmOp::State => lstm_state(k, hidden, z, c),
        LstmOp::Output => lstm_output(k, hidden, z, c),
    }
}

/// [`lstm_state_grad`] or [`lstm_output_grad`].
pub fn lstm_grad<E: Real>(
    op: LstmOp,
    k: CellKernels,
    hidden: usize,
    z: &[E],
    c: &[E],
    grad: &[E],
) -> Vec<E> {
    match op {
        LstmOp::State => lstm_state_grad(k, hidden, z, c, grad),
        LstmOp::Output => lstm_output_grad(k, hidden, z, c, grad),
    }
}

/// LSTM cell state: `c' = s(z_f) c + s(z_i) f(z_g)`.
fn lstm_state<E: Real>(k: CellKernels, hidden: usize, z: &[E], c: &[E]) -> Vec<E> {
    let i = values(k.gate, &part(z, 4, hidden, 0));
    let f = values(k.gate, &part(z, 4, hidden, 1));
    let g = values(k.act, &part(z, 4, hidden, 2));
    sum(&product(&f, c), &product(&i, &g))
}

/// The gradients of [`lstm_state`] from `grad = dL/dc'`: `dL/dz` (`[rows, 4 hidden]`, zero in the
/// output gate's part) followed by `dL/dc` (`[rows, hidden]`), in one buffer.
fn lstm_state_grad<E: Real>(k: CellKernels, hidden: usize, z: &[E], c: &[E], grad: &[E]) -> Vec<E> {
    let (zi, zf, zg) = (part(z, 4, hidden, 0), part(z, 4, hidden, 1), part(z, 4, hidden, 2));
    let (i, f, g) = (values(k.gate, &zi), values(k.gate, &zf), values(k.act, &zg));
    let mut out = vec![E::ZERO; z.len() + c.len()];
    let (dz, dc) = out.split_at_mut(z.len());
    set_part(dz, 4, hidden, 0, &times_slope(k.gate, &zi, product(grad, &g)));
    set_part(dz, 4, hidden, 1, &times_slope(k.gate, &zf, product(grad, c)));
    set_part(dz, 4, hidden, 2, &times_slope(k.act, &zg, product(grad, &i)));
    dc.copy_from_slice(&product(grad, &f));
    out
}

/// LSTM output: `h' = s(z_o) f(c')`.
fn lstm_output<E: Real>(k: CellKernels, hidden: usize, z: &[E], c: &[E]) -> Vec<E> {
    product(&values(k.gate, &part(z, 4, hidden, 3)), &values(k.act, c))
}

/// The gradients of [`lstm_output`] from `grad = dL/dh'`: `dL/dz` (`[rows, 4 hidden]`, zero but
/// in the output gate's part) followed by `dL/dc'`, in one buffer.
fn lstm_output_grad<E: Real>(
    k: CellKernels,
    hidden: usize,
    z: &[E],
    c: &[E],
    grad: &[E],
) -> Vec<E> {
    let zo = part(z, 4, hidden, 3);
    let (o, fc) = (values(k.gate, &zo), values(k.act, c));
    let mut out = vec![E::ZERO; z.len() + c.len()];
    let (dz, dc) = out.split_at_mut(z.len());
    set_part(dz, 4, hidden, 3, &times_slope(k.gate, &zo, product(grad, &fc)));
    dc.copy_from_slice(&times_slope(k.act, c, product(grad, &o)));
    out
}

/// The GRU's pre-activations and gates from `xw = x W + b` and `hu = h U`.
struct GruGates<E> {
    r_pre: Vec<E>,
    z_pre: Vec<E>,
    n_pre: Vec<E>,
    hu_n: Vec<E>,
    r: Vec<E>,
    z: Vec<E>,
}

impl<E: Real> GruGates<E> {
    fn new(k: CellKernels, hidden: usize, xw: &[E], hu: &[E]) -> Self {
        let r_pre = sum(&part(xw, 3, hidden, 0), &part(hu, 3, hidden, 0));
        let z_pre = sum(&part(xw, 3, hidden, 1), &part(hu, 3, hidden, 1));
        let (r, z) = (values(k.gate, &r_pre), values(k.gate, &z_pre));
        let hu_n = part(hu, 3, hidden, 2);
        let n_pre = sum(&part(xw, 3, hidden, 2), &product(&r, &hu_n));
        Self { r_pre, z_pre, n_pre, hu_n, r, z }
    }
}

/// GRU step: `r = s(xw_r + hu_r)`, `z = s(xw_z + hu_z)`, `n = f(xw_n + r hu_n)`,
/// `h' = (1 - z) n + z h`.
pub fn gru<E: Real>(k: CellKernels, hidden: usize, xw: &[E], hu: &[E], h: &[E]) -> Vec<E> {
    let gates = GruGates::new(k, hidden, xw, hu);
    let n = values(k.act, &gates.n_pre);
    (0..h.len()).map(|j| (E::ONE - gates.z[j]) * n[j] + gates.z[j] * h[j]).collect()
}

/// The gradients of [`gru`] from `grad = dL/dh'`: `dL/dxw`, `dL/dhu` (`[rows, 3 hidden]` each)
/// and `dL/dh`, in one buffer.
pub fn gru_grad<E: Real>(
    k: CellKernels,
    hidden: usize,
    xw: &[E],
    hu: &[E],
    h: &[E],
    grad: &[E],
) -> Vec<E> {
    let gates = GruGates::new(k, hidden, xw, hu);
    let n = values(k.act, &gates.n_pre);
    let one_minus_z: Vec<E> = gates.z.iter().map(|&z| E::ONE - z).collect();
    let dn_pre = times_slope(k.act, &gates.n_pre, product(grad, &one_minus_z));
    let dz: Vec<E> = (0..h.len()).map(|j| grad[j] * h[j] - grad[j] * n[j]).collect();
    let dz_pre = times_slope(k.gate, &gates.z_pre, dz);
    let dr_pre = times_slope(k.gate, &gates.r_pre, product(&dn_pre, &gates.hu_n));
    let mut out = vec![E::ZERO; xw.len() + hu.len() + h.len()];
    let (dxw, rest) = out.split_at_mut(xw.len());
    let (dhu, dh) = rest.split_at_mut(hu.len());
    for (d, n_part) in [(dxw, dn_pre.clone()), (dhu, product(&dn_pre, &gates.r))] {
        set_part(d, 3, hidden, 0, &dr_pre);
        set_part(d, 3, hidden, 1, &dz_pre);
        set_part(d, 3, hidden, 2, &n_part);
    }
    dh.copy_from_slice(&product(grad, &gates.z));
    out
}
