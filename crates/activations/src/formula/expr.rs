//! A resolved formula: names bound to `x`, parameters and functions, arities and types checked;
//! and its evaluation as burn tensor operations (so autodiff gives every derivative).

use std::ops::Range;

use burn::prelude::*;

use super::syntax::{BinaryOp, Syntax};
use crate::derivative;
use crate::math::{expm1, log1p, sigmoid_pair};

/// The functions a formula may call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Function {
    /// `exp(a)`.
    Exp,
    /// `log(a)`, the natural logarithm.
    Log,
    /// `log1p(a)` = `ln(1 + a)`, accurate near 0.
    Log1p,
    /// `expm1(a)` = `exp(a) - 1`, accurate near 0.
    Expm1,
    /// `sqrt(a)`.
    Sqrt,
    /// `abs(a)`.
    Abs,
    /// `tanh(a)`.
    Tanh,
    /// `sigmoid(a)` = `1 / (1 + exp(-a))`.
    Sigmoid,
    /// `softplus(a)` = `ln(1 + exp(a))`.
    Softplus,
    /// `erf(a)`, the error function.
    Erf,
    /// `sin(a)`.
    Sin,
    /// `cos(a)`.
    Cos,
    /// `min(a, b)`.
    Min,
    /// `max(a, b)`.
    Max,
    /// `where(c, a, b)`: `a` where the condition `c` holds, else `b`.
    Where,
}

impl Function {
    /// Every function, with its name.
    pub const ALL: [(Function, &'static str); 15] = [
        (Function::Exp, "exp"),
        (Function::Log, "log"),
        (Function::Log1p, "log1p"),
        (Function::Expm1, "expm1"),
        (Function::Sqrt, "sqrt"),
        (Function::Abs, "abs"),
        (Function::Tanh, "tanh"),
        (Function::Sigmoid, "sigmoid"),
        (Function::Softplus, "softplus"),
        (Function::Erf, "erf"),
        (Function::Sin, "sin"),
        (Function::Cos, "cos"),
        (Function::Min, "min"),
        (Function::Max, "max"),
        (Function::Where, "where"),
    ];

    /// The function called `name`.
    pub fn named(name: &str) -> Option<Function> {
        Self::ALL.iter().find(|(_, n)| *n == name).map(|(f, _)| *f)
    }

    /// Number of arguments.
    pub fn arity(self) -> usize {
        match self {
            Function::Min | Function::Max => 2,
            Function::Where => 3,
            _ => 1,
        }
    }

    /// Whether it is transcendental (needs an exponential, logarithm, erf or sine).
    pub fn transcendental(self) -> bool {
        !matches!(self, Function::Abs | Function::Min | Function::Max | Function::Where)
    }

    /// Whether its derivative jumps somewhere (a kink or a switch).
    pub fn has_kink(self) -> bool {
        matches!(self, Function::Abs | Function::Min | Function::Max | Function::Where)
    }
}

/// A resolved expression.
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    /// A number.
    Const(f64),
    /// The input `x`.
    X,
    /// Index into the formula's parameters.
    Param(usize),
    /// `-a`.
    Neg(Box<Expr>),
    /// `a op b`.
    Binary(BinaryOp, Box<Expr>, Box<Expr>),
    /// A function call and its arguments.
    Call(Function, Vec<Expr>),
}

/// A resolution error: where (byte range) and what.
#[derive(Debug, Clone, PartialEq)]
pub struct ResolveError {
    /// Byte range in the formula of the name or call at fault.
    pub span: Range<usize>,
    /// What is wrong, and what is valid instead.
    pub message: String,
}

/// What an expression gives: a number, or a condition (only `where` takes one).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Number,
    Condition,
}

/// Resolves `syntax` against the parameter names; the result is a number-valued expression.
pub fn resolve(syntax: &Syntax, params: &[String], text: &str) -> Result<Expr, ResolveError> {
    let everything = 0..text.len();
    let (expr, kind) = resolve_kind(syntax, params)?;
    if kind == Kind::Condition {
        return Err(ResolveError {
            span: everything,
            message: "the formula is a comparison, not a number; use it as the condition of \
                      where(c, a, b)"
                .into(),
        });
    }
    Ok(expr)
}

fn resolve_kind(syntax: &Syntax, params: &[String]) -> Result<(Expr, Kind), ResolveError> {
    let number = |s: &Syntax| -> Result<Expr, ResolveError> {
        match resolve_kind(s, params)? {
            (e, Kind::Number) => Ok(e),
            (_, Kind::Condition) => Err(ResolveError {
                span: s.span(),
                message: "a comparison can only be the condition of where(c, a, b)".into(),
            }),
        }
    };
    match syntax {
        Syntax::Number { value, .. } => Ok((Expr::Const(*value), Kind::Number)),
        Syntax::Name { name, span } => {
            if name == "x" {
                return Ok((Expr::X, Kind::Number));
            }
            if let Some(index) = params.iter().position(|p| p == name) {
                return Ok((Expr::Param(index), Kind::Number));
            }
            let message = if Function::named(name).is_some() {
                format!("`{name}` is a function: write {name}(...)")
            } else {
                unknown_name(name, params)
            };
            Err(ResolveError { span: span.clone(), message })
        }
        Syntax::Call { name, span, args } => {
            let function = Function::named(name).ok_or_else(|| ResolveError {
                span: span.clone(),
                message: unknown_function(name, params),
            })?;
            if args.len() != function.arity() {
                return Err(ResolveError {
                    span: span.clone(),
                    message: format!(
                        "`{name}` takes {} argument{}, not {}",
                        function.arity(),
                        if function.arity() == 1 { "" } else { "s" },
                        args.len()
                    ),
                });
            }
            let mut resolved = Vec::with_capacity(args.len());
            for (k, arg) in args.iter().enumerate() {
                let (e, kind) = resolve_kind(arg, params)?;
                let wants = if function == Function::Where && k == 0 {
                    Kind::Condition
                } else {
                    Kind::Number
                };
                if kind != wants {
                    let span = arg.span();
                    let message = if wants == Kind::Condition {
                        "the first argument of where(c, a, b) must be a comparison such as x > 0"
                    } else {
                        "a comparison can only be the condition of where(c, a, b)"
                    };
                    return Err(ResolveError { span, message: message.into() });
                }
                resolved.push(e);
            }
            Ok((Expr::Call(function, resolved), Kind::Number))
        }
        Syntax::Neg(a) => Ok((Expr::Neg(Box::new(number(a)?)), Kind::Number)),
        Syntax::Binary { op, left, right } => {
            let (l, r) = (number(left)?, number(right)?);
            let kind = if op.is_comparison() { Kind::Condition } else { Kind::Number };
            Ok((Expr::Binary(*op, Box::new(l), Box::new(r)), kind))
        }
    }
}

fn unknown_name(name: &str, params: &[String]) -> String {
    let given = if params.is_empty() {
        "no parameters are given".to_string()
    } else {
        format!("the parameters are {}", params.join(", "))
    };
    format!(
        "unknown name `{name}`: a formula uses `x`, numbers and its parameters ({given}); \
         give a parameter its value with params = {{ {name} = 1.0 }}"
    )
}

fn unknown_function(name: &str, params: &[String]) -> String {
    let names = Function::ALL.iter().map(|(_, n)| *n);
    let hint = crate::closest::closest(name, names)
        .map(|n| format!(" (did you mean `{n}`?)"))
        .unwrap_or_default();
    let what = if name == "x" || params.iter().any(|p| p == name) {
        format!("`{name}` is not a function")
    } else {
        format!("unknown function `{name}`{hint}")
    };
    let list: Vec<&str> = Function::ALL.iter().map(|(_, n)| *n).collect();
    format!("{what}; functions: {}", list.join(", "))
}

impl Expr {
    /// Whether `x` appears.
    pub fn uses_x(&self) -> bool {
        self.any(&|e| matches!(e, Expr::X))
    }

    /// Whether parameter `index` appears.
    pub fn uses_param(&self, index: usize) -> bool {
        self.any(&|e| matches!(e, Expr::Param(i) if *i == index))
    }

    /// Whether some function call satisfies `test`.
    pub fn calls(&self, test: impl Fn(Function) -> bool) -> bool {
        self.any(&|e| matches!(e, Expr::Call(f, _) if test(*f)))
    }

    /// Whether a power has an exponent that is not a constant integer (an exp and a log).
    pub fn any_fractional_power(&self) -> bool {
        self.any(&|e| {
            matches!(e, Expr::Binary(BinaryOp::Pow, _, b)
                if !matches!(**b, Expr::Const(v) if v.fract() == 0.0))
        })
    }

    fn any(&self, test: &dyn Fn(&Expr) -> bool) -> bool {
        test(self)
            || match self {
                Expr::Const(_) | Expr::X | Expr::Param(_) => false,
                Expr::Neg(a) => a.any(test),
                Expr::Binary(_, a, b) => a.any(test) || b.any(test),
                Expr::Call(_, args) => args.iter().any(|a| a.any(test)),
            }
    }

    /// Evaluates on `x`. `params[i]` is the value of parameter `i`: a number, or (learned) a
    /// one-element tensor already reshaped to `[1; D]` and cast to `x`'s dtype.
    pub fn eval<const D: usize>(&self, x: &Tensor<D>, params: &[Operand<D>]) -> Tensor<D> {
        match self.value(x, params) {
            Value::Number(v) => full(Operand::Number(v), x),
            Value::Tensor(t) => full(Operand::Tensor(t), x),
            Value::Mask(_) | Value::Flag(_) => unreachable!("resolve refuses conditions here"),
        }
    }

    fn value<const D: usize>(&self, x: &Tensor<D>, params: &[Operand<D>]) -> Value<D> {
        match self {
            Expr::Const(v) => Value::Number(*v),
            Expr::X => Value::Tensor(x.clone()),
            Expr::Param(i) => match &params[*i] {
                Operand::Number(v) => Value::Number(*v),
                Operand::Tensor(t) => Value::Tensor(t.clone()),
            },
            Expr::Neg(a) => match a.value(x, params) {
                Value::Number(v) => Value::Number(-v),
                other => Value::Tensor(other.tensor().neg()),
            },
            Expr::Binary(op, a, b) => binary(*op, a.value(x, params), b.value(x, params), x),
            Expr::Call(Function::Where, args) => {
                let (a, b) =
                    (args[1].value(x, params).operand(), args[2].value(x, params).operand());
                match args[0].value(x, params) {
                    Value::Flag(c) => if c { a } else { b }.into(),
                    Value::Mask(mask) => select(mask, a, b, x),
                    _ => unreachable!("resolve checks the condition"),
                }
            }
            Expr::Call(f @ (Function::Min | Function::Max), args) => {
                let (a, b) = (args[0].value(x, params), args[1].value(x, params));
                min_max(*f == Function::Max, a.operand(), b.operand(), x)
            }
            Expr::Call(f, args) => match args[0].value(x, params) {
                Value::Number(v) if *f != Function::Erf => Value::Number(scalar(*f, v)),
                Value::Number(v) => Value::Tensor(tensor(*f, ones(x).mul_scalar(v))),
                other => Value::Tensor(tensor(*f, other.tensor())),
            },
        }
    }
}

/// A parameter's value: fixed, or a learned tensor of shape `[1; D]`.
// Short-lived values of one evaluation: boxing the tensor would only add an allocation per op.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone)]
pub enum Operand<const D: usize> {
    /// A fixed value.
    Number(f64),
    /// A learned parameter's value, as a tensor of shape `[1; D]`.
    Tensor(Tensor<D>),
}

#[allow(clippy::large_enum_variant)]
enum Value<const D: usize> {
    Number(f64),
    Tensor(Tensor<D>),
    Mask(Tensor<D, Bool>),
    Flag(bool),
}

impl<const D: usize> Value<D> {
    fn operand(self) -> Operand<D> {
        match self {
            Value::Number(v) => Operand::Number(v),
            Value::Tensor(t) => Operand::Tensor(t),
            Value::Mask(_) | Value::Flag(_) => unreachable!("resolve refuses conditions here"),
        }
    }

    fn tensor(self) -> Tensor<D> {
        match self.operand() {
            Operand::Tensor(t) => t,
            Operand::Number(_) => unreachable!("numbers are folded before this"),
        }
    }
}

impl<const D: usize> From<Operand<D>> for Value<D> {
    fn from(o: Operand<D>) -> Self {
        match o {
            Operand::Number(v) => Value::Number(v),
            Operand::Tensor(t) => Value::Tensor(t),
        }
    }
}

/// A one-element tensor of shape `[1; D]` on `x`'s device and dtype.
fn ones<const D: usize>(x: &Tensor<D>) -> Tensor<D> {
    Tensor::<D>::ones([1; D], &x.device()).cast(x.dtype())
}

/// `o` at `x`'s full shape (broadcast numbers and `[1; D]` tensors).
fn full<const D: usize>(o: Operand<D>, x: &Tensor<D>) -> Tensor<D> {
    match o {
        Operand::Number(v) => x.zeros_like().add_scalar(v),
        Operand::Tensor(t) if t.shape() == x.shape() => t,
        Operand::Tensor(t) => t + x.zeros_like(),
    }
}

fn full_mask<const D: usize>(mask: Tensor<D, Bool>, x: &Tensor<D>) -> Tensor<D, Bool> {
    if mask.shape() == x.shape() { mask } else { mask.expand(x.shape()) }
}

fn binary<const D: usize>(op: BinaryOp, a: Value<D>, b: Value<D>, x: &Tensor<D>) -> Value<D> {
    use BinaryOp::*;
    match (a.operand(), b.operand()) {
        (Operand::Number(a), Operand::Number(b)) => match op {
            Add => Value::Number(a + b),
            Sub => Value::Number(a - b),
            Mul => Value::Number(a * b),
            Div => Value::Number(a / b),
            Pow => Value::Number(a.powf(b)),
            Less => Value::Flag(a < b),
            LessEqual => Value::Flag(a <= b),
            Greater => Value::Flag(a > b),
            GreaterEqual => Value::Flag(a >= b),
            Equal => Value::Flag(a == b),
            NotEqual => Value::Flag(a != b),
        },
        (Operand::Tensor(t), Operand::Number(v)) => match op {
            Add => Value::Tensor(t.add_scalar(v)),
            Sub => Value::Tensor(t.sub_scalar(v)),
            Mul => Value::Tensor(t.mul_scalar(v)),
            Div => Value::Tensor(t.div_scalar(v)),
            Pow => Value::Tensor(power(t, v)),
            Less => Value::Mask(full_mask(t.lower_elem(v), x)),
            LessEqual => Value::Mask(full_mask(t.lower_equal_elem(v), x)),
            Greater => Value::Mask(full_mask(t.greater_elem(v), x)),
            GreaterEqual => Value::Mask(full_mask(t.greater_equal_elem(v), x)),
            Equal => Value::Mask(full_mask(t.equal_elem(v), x)),
            NotEqual => Value::Mask(full_mask(t.not_equal_elem(v), x)),
        },
        (Operand::Number(v), Operand::Tensor(t)) => match op {
            Add => Value::Tensor(t.add_scalar(v)),
            Sub => Value::Tensor(t.neg().add_scalar(v)),
            Mul => Value::Tensor(t.mul_scalar(v)),
            Div => Value::Tensor(t.recip().mul_scalar(v)),
            // v^t = exp(t ln v) for v > 0; otherwise the general power.
            Pow if v > 0.0 => Value::Tensor(t.mul_scalar(v.ln()).exp()),
            Pow => Value::Tensor(full(Operand::Number(v), x).powf(t)),
            // v < t  <=>  t > v, and so on.
            Less => binary(Greater, Value::Tensor(t), Value::Number(v), x),
            LessEqual => binary(GreaterEqual, Value::Tensor(t), Value::Number(v), x),
            Greater => binary(Less, Value::Tensor(t), Value::Number(v), x),
            GreaterEqual => binary(LessEqual, Value::Tensor(t), Value::Number(v), x),
            Equal | NotEqual => binary(op, Value::Tensor(t), Value::Number(v), x),
        },
        (Operand::Tensor(a), Operand::Tensor(b)) => {
            let (fa, fb) =
                (full(Operand::Tensor(a.clone()), x), full(Operand::Tensor(b.clone()), x));
            match op {
                Add => Value::Tensor(a + b),
                Sub => Value::Tensor(a - b),
                Mul => Value::Tensor(a * b),
                Div => Value::Tensor(a / b),
                Pow => Value::Tensor(fa.powf(fb)),
                Less => Value::Mask(fa.lower(fb)),
                LessEqual => Value::Mask(fa.lower_equal(fb)),
                Greater => Value::Mask(fa.greater(fb)),
                GreaterEqual => Value::Mask(fa.greater_equal(fb)),
                Equal => Value::Mask(fa.equal(fb)),
                NotEqual => Value::Mask(fa.not_equal(fb)),
            }
        }
    }
}

/// `t ^ e` for a constant exponent: exact products for small integers (any sign of `t`, on every
/// backend), `powf` otherwise.
fn power<const D: usize>(t: Tensor<D>, e: f64) -> Tensor<D> {
    if e.fract() != 0.0 || e.abs() > 64.0 {
        return t.powf_scalar(e);
    }
    let mut n = e.abs() as u32;
    if n == 0 {
        return t.ones_like();
    }
    let mut base = t;
    let mut result: Option<Tensor<D>> = None;
    while n > 0 {
        if n & 1 == 1 {
            result = Some(match result {
                None => base.clone(),
                Some(r) => r * base.clone(),
            });
        }
        n >>= 1;
        if n > 0 {
            base = base.clone() * base;
        }
    }
    let result = result.expect("n > 0");
    if e < 0.0 { result.recip() } else { result }
}

fn select<const D: usize>(
    mask: Tensor<D, Bool>,
    a: Operand<D>,
    b: Operand<D>,
    x: &Tensor<D>,
) -> Value<D> {
    match (a, b) {
        (Operand::Number(a), b) => Value::Tensor(full(b, x).mask_fill(mask, a)),
        (a, Operand::Number(b)) => Value::Tensor(full(a, x).mask_fill(mask.bool_not(), b)),
        (a, b) => Value::Tensor(full(b, x).mask_where(mask, full(a, x))),
    }
}

fn min_max<const D: usize>(max: bool, a: Operand<D>, b: Operand<D>, x: &Tensor<D>) -> Value<D> {
    match (a, b) {
        (Operand::Number(a), Operand::Number(b)) => {
            Value::Number(if max { a.max(b) } else { a.min(b) })
        }
        (Operand::Tensor(t), Operand::Number(v)) | (Operand::Number(v), Operand::Tensor(t)) => {
            Value::Tensor(if max { t.clamp_min(v) } else { t.clamp_max(v) })
        }
        (a, b) => {
            let (a, b) = (full(a, x), full(b, x));
            Value::Tensor(if max { a.max_pair(b) } else { a.min_pair(b) })
        }
    }
}

/// A function of a constant, in f64 (erf, which std lacks, goes through a tensor).
fn scalar(f: Function, v: f64) -> f64 {
    match f {
        Function::Exp => v.exp(),
        Function::Log => v.ln(),
        Function::Log1p => v.ln_1p(),
        Function::Expm1 => v.exp_m1(),
        Function::Sqrt => v.sqrt(),
        Function::Abs => v.abs(),
        Function::Tanh => v.tanh(),
        Function::Sigmoid => 1.0 / (1.0 + (-v).exp()),
        Function::Softplus => v.max(0.0) + (-v.abs()).exp().ln_1p(),
        Function::Sin => v.sin(),
        Function::Cos => v.cos(),
        Function::Erf | Function::Min | Function::Max | Function::Where => {
            unreachable!("not a one-argument function of a constant")
        }
    }
}

/// A one-argument function on a tensor. Tanh, sigmoid, softplus, expm1 and log1p are computed from
/// formulas that stay finite and accurate everywhere and on every backend (the same ones our
/// registry activations use), with their exact derivative; the others are burn's own operations.
fn tensor<const D: usize>(f: Function, t: Tensor<D>) -> Tensor<D> {
    match f {
        Function::Exp => t.exp(),
        Function::Log => t.log(),
        Function::Log1p => derivative::apply(t, |input, slope| {
            (log1p(input.clone()), slope.then(|| input.add_scalar(1.0).recip()))
        }),
        Function::Sqrt => t.sqrt(),
        Function::Abs => t.abs(),
        // sign(x) (1 - e) / (1 + e) and 4e / (1 + e)^2 with e = exp(-2|x|): accurate to the
        // last bits at every x on every backend (burn's GPU tanh, and 1 - tanh^2 near
        // saturation, are not).
        Function::Tanh => derivative::apply(t, |input, slope| {
            let minus_two_abs = input.clone().abs().mul_scalar(-2.0);
            let e_minus_one = expm1(minus_two_abs.clone());
            let magnitude = e_minus_one.clone().neg() / e_minus_one.add_scalar(2.0);
            let value = magnitude * input.sign();
            (
                value,
                slope.then(|| {
                    let e = minus_two_abs.exp();
                    let one_plus_e = e.clone().add_scalar(1.0);
                    e.mul_scalar(4.0) / (one_plus_e.clone() * one_plus_e)
                }),
            )
        }),
        Function::Erf => t.erf(),
        Function::Sin => t.sin(),
        Function::Cos => t.cos(),
        Function::Expm1 => {
            derivative::apply(t, |input, slope| (expm1(input.clone()), slope.then(|| input.exp())))
        }
        Function::Sigmoid => derivative::apply(t, |input, slope| {
            let (s, one_minus_s) = sigmoid_pair(input);
            (s.clone(), slope.then(|| s * one_minus_s))
        }),
        Function::Softplus => derivative::apply(t, |input, slope| {
            let tail = log1p(input.clone().abs().neg().exp());
            let value = input.clone().clamp_min(0.0) + tail;
            (value, slope.then(|| sigmoid_pair(input).0))
        }),
        Function::Min | Function::Max | Function::Where => {
            unreachable!("not a one-argument function")
        }
    }
}
