//! The formula grammar, parsed with winnow's Pratt parser into a syntax tree that keeps the
//! position of every name (for error messages).
//!
//! ```text
//! formula    = expression
//! expression = operand | prefix expression | expression infix expression
//! operand    = number | name | name "(" [expression {"," expression}] ")" | "(" expression ")"
//! prefix     = "-" | "+"                                  (binds tighter than * /, looser than ^)
//! infix      = "^" (right) | "*" "/" | "+" "-" | "<" "<=" ">" ">=" "==" "!=" (non-associative)
//! number     = digits ["." digits] [("e" | "E") ["+" | "-"] digits]  |  "." digits [...]
//! name       = letter {letter | digit | "_"}
//! ```

use std::ops::Range;

use winnow::ascii::{digit0, digit1, multispace0};
use winnow::combinator::{
    Infix, Prefix, alt, cut_err, delimited, dispatch, empty, expression, fail, opt, peek, preceded,
    separated, terminated,
};
use winnow::error::{ContextError, ErrMode};
use winnow::prelude::*;
use winnow::stream::LocatingSlice;
use winnow::token::{any, one_of, take_while};

type Input<'a> = LocatingSlice<&'a str>;
type Parsed<T> = Result<T, ErrMode<ContextError>>;

/// A parsed formula, before names are resolved.
#[derive(Debug, Clone, PartialEq)]
pub enum Syntax {
    /// A number literal and its byte range.
    Number {
        /// The number.
        value: f64,
        /// Its byte range in the formula.
        span: Range<usize>,
    },
    /// `x` or a parameter; `span` is its byte range in the formula.
    Name {
        /// The name.
        name: String,
        /// Its byte range in the formula.
        span: Range<usize>,
    },
    /// `name(args...)`.
    Call {
        /// The function name.
        name: String,
        /// The name's byte range in the formula.
        span: Range<usize>,
        /// The arguments.
        args: Vec<Syntax>,
    },
    /// `-a`.
    Neg(Box<Syntax>),
    /// `a op b` (its byte range: [`Syntax::span`]).
    Binary {
        /// The operator.
        op: BinaryOp,
        /// Left operand.
        left: Box<Syntax>,
        /// Right operand.
        right: Box<Syntax>,
    },
}

impl Syntax {
    /// Byte range of the expression (from its first to its last name or number).
    pub fn span(&self) -> Range<usize> {
        match self {
            Syntax::Number { span, .. } | Syntax::Name { span, .. } => span.clone(),
            Syntax::Call { span, args, .. } => {
                span.start..args.last().map(|a| a.span().end).unwrap_or(span.end)
            }
            Syntax::Neg(a) => a.span(),
            Syntax::Binary { left, right, .. } => left.span().start..right.span().end,
        }
    }
}

/// The infix operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BinaryOp {
    /// `a + b`.
    Add,
    /// `a - b`.
    Sub,
    /// `a * b`.
    Mul,
    /// `a / b`.
    Div,
    /// `a ^ b`.
    Pow,
    /// `a < b`.
    Less,
    /// `a <= b`.
    LessEqual,
    /// `a > b`.
    Greater,
    /// `a >= b`.
    GreaterEqual,
    /// `a == b`.
    Equal,
    /// `a != b`.
    NotEqual,
}

impl BinaryOp {
    /// Whether it compares (gives a condition rather than a number).
    pub fn is_comparison(self) -> bool {
        !matches!(
            self,
            BinaryOp::Add | BinaryOp::Sub | BinaryOp::Mul | BinaryOp::Div | BinaryOp::Pow
        )
    }

    /// As written.
    pub fn symbol(self) -> &'static str {
        match self {
            BinaryOp::Add => "+",
            BinaryOp::Sub => "-",
            BinaryOp::Mul => "*",
            BinaryOp::Div => "/",
            BinaryOp::Pow => "^",
            BinaryOp::Less => "<",
            BinaryOp::LessEqual => "<=",
            BinaryOp::Greater => ">",
            BinaryOp::GreaterEqual => ">=",
            BinaryOp::Equal => "==",
            BinaryOp::NotEqual => "!=",
        }
    }
}

/// A syntax error: the byte offset where parsing stopped, and what was found there.
#[derive(Debug, Clone, PartialEq)]
pub struct SyntaxError {
    /// Byte offset in the formula.
    pub offset: usize,
    /// What went wrong, in words.
    pub message: String,
}

/// Deepest parenthesis nesting accepted.
pub const MAX_NESTING: usize = 64;

// Binding powers: comparisons < + - < * / < unary minus < ^.
const COMPARE: i64 = 2;
const ADD: i64 = 4;
const MUL: i64 = 6;
const PREFIX: i64 = 8;
const POW: i64 = 10;

/// Parses a whole formula.
pub fn parse(text: &str) -> Result<Syntax, SyntaxError> {
    if text.trim().is_empty() {
        return Err(SyntaxError { offset: 0, message: "the formula is empty".into() });
    }
    // Parsing recurses once per parenthesis: refuse absurd nesting instead of overflowing the stack.
    let mut depth = 0usize;
    for (offset, c) in text.char_indices() {
        depth = match c {
            '(' => depth + 1,
            ')' => depth.saturating_sub(1),
            _ => depth,
        };
        if depth > MAX_NESTING {
            let message = format!("parentheses nest more than {MAX_NESTING} deep");
            return Err(SyntaxError { offset, message });
        }
    }
    formula.parse(LocatingSlice::new(text)).map_err(|e| {
        let offset = e.offset();
        let rest = &text[offset..];
        let message = match rest.chars().next() {
            None => "the formula ends too early (an operand or `)` is missing)".to_string(),
            Some(c) => format!("unexpected `{c}`"),
        };
        SyntaxError { offset, message }
    })
}

fn formula(i: &mut Input) -> Parsed<Syntax> {
    terminated(expr, multispace0).parse_next(i)
}

fn bin(op: BinaryOp, left: Syntax, right: Syntax) -> Syntax {
    Syntax::Binary { op, left: Box::new(left), right: Box::new(right) }
}

fn expr(i: &mut Input) -> Parsed<Syntax> {
    use Infix::{Left, Neither, Right};
    expression(delimited(multispace0, operand, multispace0))
        .prefix(delimited(
            multispace0,
            dispatch! {any;
                '-' => empty.value(Prefix(PREFIX, |_: &mut _, a| Ok(Syntax::Neg(Box::new(a))))),
                '+' => empty.value(Prefix(PREFIX, |_: &mut _, a| Ok(a))),
                _ => fail,
            },
            multispace0,
        ))
        .infix(dispatch! {any;
            '+' => empty.value(Left(ADD, |_: &mut _, a, b| Ok(bin(BinaryOp::Add, a, b)))),
            '-' => empty.value(Left(ADD, |_: &mut _, a, b| Ok(bin(BinaryOp::Sub, a, b)))),
            '*' => empty.value(Left(MUL, |_: &mut _, a, b| Ok(bin(BinaryOp::Mul, a, b)))),
            '/' => empty.value(Left(MUL, |_: &mut _, a, b| Ok(bin(BinaryOp::Div, a, b)))),
            '^' => empty.value(Right(POW, |_: &mut _, a, b| Ok(bin(BinaryOp::Pow, a, b)))),
            '<' => alt((
                '='.value(Neither(COMPARE, |_: &mut _, a, b| Ok(bin(BinaryOp::LessEqual, a, b)))),
                empty.value(Neither(COMPARE, |_: &mut _, a, b| Ok(bin(BinaryOp::Less, a, b)))),
            )),
            '>' => alt((
                '='.value(Neither(COMPARE, |_: &mut _, a, b| Ok(bin(BinaryOp::GreaterEqual, a, b)))),
                empty.value(Neither(COMPARE, |_: &mut _, a, b| Ok(bin(BinaryOp::Greater, a, b)))),
            )),
            '=' => '='.value(Neither(COMPARE, |_: &mut _, a, b| Ok(bin(BinaryOp::Equal, a, b)))),
            '!' => '='.value(Neither(COMPARE, |_: &mut _, a, b| Ok(bin(BinaryOp::NotEqual, a, b)))),
            _ => fail,
        })
        .parse_next(i)
}

fn operand(i: &mut Input) -> Parsed<Syntax> {
    dispatch! {peek(any);
        '(' => delimited('(', expr, cut_err(')')),
        '0'..='9' | '.' => number,
        _ => name_or_call,
    }
    .parse_next(i)
}

fn number(i: &mut Input) -> Parsed<Syntax> {
    let mantissa = alt(((digit1, opt(('.', digit0))).void(), ('.', digit1).void()));
    let exponent = opt((one_of(['e', 'E']), opt(one_of(['+', '-'])), digit1));
    let (value, span) = (mantissa, exponent)
        .take()
        .try_map(|text: &str| text.parse::<f64>())
        .with_span()
        .parse_next(i)?;
    Ok(Syntax::Number { value, span })
}

fn name_or_call(i: &mut Input) -> Parsed<Syntax> {
    let name = (
        one_of(|c: char| c.is_ascii_alphabetic() || c == '_'),
        take_while(0.., |c: char| c.is_ascii_alphanumeric() || c == '_'),
    )
        .take();
    let (name, span) = name.with_span().parse_next(i)?;
    let args = opt(preceded(
        (multispace0, '('),
        cut_err(terminated(separated(0.., expr, ','), (multispace0, ')'))),
    ))
    .parse_next(i)?;
    let name = name.to_string();
    Ok(match args {
        Some(args) => Syntax::Call { name, span, args },
        None => Syntax::Name { name, span },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn show(s: &Syntax) -> String {
        match s {
            Syntax::Number { value, .. } => format!("{value}"),
            Syntax::Name { name, .. } => name.clone(),
            Syntax::Call { name, args, .. } => {
                format!("{name}({})", args.iter().map(show).collect::<Vec<_>>().join(", "))
            }
            Syntax::Neg(a) => format!("(-{})", show(a)),
            Syntax::Binary { op, left, right } => {
                format!("({} {} {})", show(left), op.symbol(), show(right))
            }
        }
    }

    fn tree(text: &str) -> String {
        show(&parse(text).unwrap_or_else(|e| panic!("{text}: {e:?}")))
    }

    #[test]
    fn precedence_and_associativity() {
        assert_eq!(tree("1 + 2 * x"), "(1 + (2 * x))");
        assert_eq!(tree("1 - x - 2"), "((1 - x) - 2)");
        assert_eq!(tree("x ^ 2 ^ 3"), "(x ^ (2 ^ 3))");
        assert_eq!(tree("-x ^ 2"), "(-(x ^ 2))");
        assert_eq!(tree("2 * -x"), "(2 * (-x))");
        assert_eq!(tree("x / 2 / 3"), "((x / 2) / 3)");
        assert_eq!(tree("x + 1 > 2 * x"), "((x + 1) > (2 * x))");
        assert_eq!(tree("x <= 0"), "(x <= 0)");
        assert_eq!(tree("x != 0"), "(x != 0)");
        assert_eq!(tree("(1 + x) * 2"), "((1 + x) * 2)");
        assert_eq!(tree(" x*sigmoid( beta *x )^2 "), "(x * (sigmoid((beta * x)) ^ 2))");
        assert_eq!(tree("where(x > 0, x, 0.01 * x)"), "where((x > 0), x, (0.01 * x))");
        assert_eq!(tree("1e-3 * x + .5 + 2.5E+2 + 3."), "((((0.001 * x) + 0.5) + 250) + 3)");
    }

    #[test]
    fn names_keep_their_position() {
        match parse("x * sigmod(x)").unwrap() {
            Syntax::Binary { right, .. } => match *right {
                Syntax::Call { name, span, .. } => {
                    assert_eq!((name.as_str(), span), ("sigmod", 4..10))
                }
                other => panic!("{other:?}"),
            },
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn syntax_errors_say_where() {
        for (text, offset) in [
            ("x +", 3),
            ("x * (1 + x", 10),
            ("x $ 2", 2),
            ("x < 1 < 2", 6),
            ("max(x,, 1)", 5),
            ("2x", 1),
            ("x = 1", 2),
            ("", 0),
        ] {
            let e = parse(text).unwrap_err();
            assert_eq!(e.offset, offset, "{text}: {e:?}");
        }
    }
}
