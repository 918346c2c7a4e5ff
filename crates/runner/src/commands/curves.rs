//! `actbench curves`: x, f(x) and f'(x) for activations, the derivative from burn's autodiff.

use actbench_activations::backend::Backend;
use actbench_activations::burn::tensor::DType;
use actbench_activations::config::split_list;
use actbench_activations::curve::{Curve, evaluate, linspace};
use actbench_activations::{ActivationConfig, REGISTRY};
use serde::Serialize;

use crate::cli::{CurvesArgs, Precision};
use actbench::error::CliError;
use actbench::report::format::{Format, csv_field, grid};
use actbench::report::output::print;
use actbench::run::device::start_device;

/// Most points a table or JSON output may ask for.
const MAX_POINTS: usize = 1_000_000;

pub fn run(args: CurvesArgs) -> Result<(), CliError> {
    let configs = parse_activations(&args.activation)?;
    if !(args.from.is_finite() && args.to.is_finite()) || args.from > args.to {
        return Err(CliError::Usage(format!(
            "--from {} --to {}: need finite numbers with --from <= --to",
            args.from, args.to
        )));
    }
    if args.points == 0 || args.points > MAX_POINTS {
        return Err(CliError::Usage(format!(
            "--points {}: must be between 1 and {MAX_POINTS}",
            args.points
        )));
    }
    let backend: Backend = args.backend.parse()?;
    if args.dtype == Precision::F64 && !backend.supports_f64() {
        return Err(CliError::Usage(format!(
            "--dtype f64: backend `{backend}` computes in float32 only; use --backend flex or ndarray"
        )));
    }
    let device = start_device(backend)?;
    let dtype = match args.dtype {
        Precision::F32 => DType::F32,
        Precision::F64 => DType::F64,
    };
    let xs = linspace(args.from, args.to, args.points);
    // A gated activation f(a) * b is drawn as its gate f.
    let label = |c: &ActivationConfig| match c.is_gated() {
        true => format!("{} (gate {})", c.label(), c.gate().label()),
        false => c.label(),
    };
    let curves: Vec<(String, Curve)> =
        configs.iter().map(|c| (label(c), evaluate(&c.gate(), &xs, dtype, &device))).collect();
    print(&render(&curves, args.format, args.dtype))
}

/// `all`, or a list of activation specs.
fn parse_activations(specs: &[String]) -> Result<Vec<ActivationConfig>, CliError> {
    let specs: Vec<String> = specs.iter().flat_map(|s| split_list(s)).collect();
    if specs.iter().any(|s| s == "all") {
        return Ok(REGISTRY
            .iter()
            .map(|i| ActivationConfig::new(i.name).expect("registered"))
            .collect());
    }
    specs.iter().map(|s| s.parse::<ActivationConfig>().map_err(CliError::from)).collect()
}

#[derive(Serialize)]
struct JsonCurve<'a, T> {
    activation: &'a str,
    x: Vec<T>,
    y: Vec<T>,
    dy: Vec<T>,
}

fn render(curves: &[(String, Curve)], format: Format, precision: Precision) -> String {
    // Float32 results print as float32 (shortest round-trip text), not as widened doubles.
    let text = |v: f64| match precision {
        Precision::F32 => format!("{}", v as f32),
        Precision::F64 => format!("{v}"),
    };
    match format {
        Format::Table | Format::Markdown => {
            let mut header = vec!["x".to_string()];
            for (name, _) in curves {
                header.push(format!("{name}(x)"));
                header.push(format!("{name}'(x)"));
            }
            let rows: Vec<Vec<String>> = (0..curves[0].1.x.len())
                .map(|i| {
                    let mut row = vec![text(curves[0].1.x[i])];
                    for (_, c) in curves {
                        row.push(text(c.y[i]));
                        row.push(text(c.dy[i]));
                    }
                    row
                })
                .collect();
            grid(format, &header, &rows)
        }
        Format::Csv => {
            let mut out = String::from("activation,x,y,dy\n");
            for (name, c) in curves {
                for i in 0..c.x.len() {
                    out += &format!(
                        "{},{},{},{}\n",
                        csv_field(name),
                        text(c.x[i]),
                        text(c.y[i]),
                        text(c.dy[i])
                    );
                }
            }
            out
        }
        Format::Json => {
            let json = match precision {
                Precision::F32 => {
                    let f = |v: &[f64]| v.iter().map(|&x| x as f32).collect::<Vec<f32>>();
                    let list: Vec<_> = curves
                        .iter()
                        .map(|(n, c)| JsonCurve {
                            activation: n,
                            x: f(&c.x),
                            y: f(&c.y),
                            dy: f(&c.dy),
                        })
                        .collect();
                    serde_json::to_string_pretty(&list)
                }
                Precision::F64 => {
                    let list: Vec<_> = curves
                        .iter()
                        .map(|(n, c)| JsonCurve {
                            activation: n,
                            x: c.x.clone(),
                            y: c.y.clone(),
                            dy: c.dy.clone(),
                        })
                        .collect();
                    serde_json::to_string_pretty(&list)
                }
            };
            json.expect("finite floats serialise") + "\n"
        }
    }
}
