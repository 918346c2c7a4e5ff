//! Renders a [`Figure`] to SVG and PNG with plotters. Text uses the bundled DejaVu Sans, so the
//! output does not depend on the fonts a machine has.

use std::path::{Path, PathBuf};
use std::sync::Once;

use plotters::coord::Shift;
use plotters::coord::ranged1d::ValueFormatter;
use plotters::prelude::*;

use super::chart::{Bar, Body, Chart, Figure, Layout, Series};
use crate::error::CliError;

const FONT: &str = "sans-serif";
static REGISTER_FONT: Once = Once::new();

/// One distinct colour per registered activation, in registry order (identity, sigmoid, tanh,
/// relu, leaky-relu, prelu, elu, selu, celu, gelu, gelu-tanh, swish, mish, softplus, softsign,
/// hard-sigmoid, hard-swish, relu6, log-sigmoid): Okabe–Ito first (colour-blind safe), then
/// Tableau and Kelly colours chosen to stay apart; activations added later cycle through it.
const PALETTE: [RGBColor; 19] = [
    RGBColor(0, 114, 178),
    RGBColor(213, 94, 0),
    RGBColor(0, 158, 115),
    RGBColor(204, 121, 167),
    RGBColor(230, 159, 0),
    RGBColor(86, 180, 233),
    RGBColor(0, 0, 0),
    RGBColor(148, 103, 189),
    RGBColor(140, 86, 75),
    RGBColor(127, 127, 127),
    RGBColor(188, 189, 34),
    RGBColor(23, 190, 207),
    RGBColor(190, 0, 50),
    RGBColor(96, 78, 151),
    RGBColor(101, 69, 34),
    RGBColor(141, 182, 0),
    RGBColor(43, 61, 38),
    RGBColor(179, 68, 108),
    RGBColor(161, 202, 241),
];

fn colour(i: usize) -> RGBColor {
    PALETTE[i % PALETTE.len()]
}

fn register_font() {
    REGISTER_FONT.call_once(|| {
        plotters::style::register_font(
            FONT,
            FontStyle::Normal,
            include_bytes!("../../../assets/DejaVuSans.ttf"),
        )
        .unwrap_or_else(|_| panic!("the bundled font is valid"));
    });
}

/// Writes `figure` as `<dir>/<stem>.svg` and `<dir>/<stem>.png`; returns both paths.
pub fn write(figure: &Figure, dir: &Path) -> Result<Vec<PathBuf>, CliError> {
    register_font();
    let svg = dir.join(format!("{}.svg", figure.stem));
    let png = dir.join(format!("{}.png", figure.stem));
    render(SVGBackend::new(&svg, figure.size).into_drawing_area(), figure, &svg)?;
    render(BitMapBackend::new(&png, figure.size).into_drawing_area(), figure, &png)?;
    Ok(vec![svg, png])
}

/// Draws `figure` on `root` and writes it out to `path`.
fn render<DB: DrawingBackend>(
    root: DrawingArea<DB, Shift>,
    figure: &Figure,
    path: &Path,
) -> Result<(), CliError> {
    let failed =
        |e: String| CliError::Runtime(format!("{}: cannot draw the figure: {e}", path.display()));
    draw(&root, figure).map_err(failed)?;
    root.present().map_err(|e| failed(e.to_string()))
}

fn draw<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, figure: &Figure) -> Result<(), String> {
    root.fill(&WHITE).map_err(|e| e.to_string())?;
    match &figure.layout {
        Layout::Single(chart) => draw_chart(root, chart, 16),
        Layout::Grid { title, columns, panels } => {
            let area = root.titled(title, (FONT, 22)).map_err(|e| e.to_string())?;
            let rows = panels.len().div_ceil(*columns).max(1);
            for (panel, cell) in panels.iter().zip(area.split_evenly((rows, *columns))) {
                draw_chart(&cell, panel, 12)?;
            }
            Ok(())
        }
    }
}

/// Axis range with a little margin; degenerate ranges are widened.
fn range(values: impl Iterator<Item = f64>, log: bool) -> (f64, f64) {
    let (mut lo, mut hi) = values
        .filter(|v| v.is_finite() && (!log || *v > 0.0))
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| (a.min(v), b.max(v)));
    if !lo.is_finite() {
        return if log { (0.1, 10.0) } else { (0.0, 1.0) };
    }
    if log {
        return (lo / 2.0, hi * 2.0);
    }
    if hi - lo < 1e-12 {
        lo -= 0.5;
        hi += 0.5;
    }
    let pad = 0.05 * (hi - lo);
    (lo - pad, hi + pad)
}

fn draw_chart<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    chart: &Chart,
    font: u32,
) -> Result<(), String> {
    let e = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
    match &chart.body {
        Body::Lines(series) => draw_lines(area, chart, series, font).map_err(e),
        Body::Bars(bars) => draw_bars(area, chart, bars, font).map_err(e),
    }
}

/// Legends with more entries than this go beside the plot instead of over it.
const LEGEND_INSIDE_MAX: usize = 3;

fn draw_lines<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    chart: &Chart,
    series: &[Series],
    font: u32,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let beside = chart.legend && series.len() > LEGEND_INSIDE_MAX;
    let (plot_area, legend_area) = if beside {
        let longest = series.iter().map(|s| s.label.chars().count()).max().unwrap_or(0) as u32;
        let width = (longest * font * 6 / 10 + 44).min(area.dim_in_pixel().0 / 3);
        let (plot, legend) = area.split_horizontally(area.dim_in_pixel().0 - width);
        (plot, Some(legend))
    } else {
        (area.clone(), None)
    };
    let xs = series.iter().flat_map(|s| s.points.iter().map(|p| p.0));
    let ys = series
        .iter()
        .flat_map(|s| s.points.iter().map(|p| p.1).chain(s.band.iter().flat_map(|b| [b.1, b.2])));
    let (x0, x1) = range(xs, false);
    let (y0, y1) = range(ys, chart.log_y);
    let mut builder = ChartBuilder::on(&plot_area);
    builder
        .caption(&chart.title, (FONT, font + 2))
        .margin(8)
        .x_label_area_size(font * 3)
        .y_label_area_size(font * 4 + 8);
    if chart.log_y {
        let mut c = builder.build_cartesian_2d(x0..x1, (y0..y1).log_scale())?;
        mesh(&mut c, chart, font)?;
        plot_series(&mut c, series, true)?;
        if !beside {
            legend(&mut c, chart, font)?;
        }
    } else {
        let mut c = builder.build_cartesian_2d(x0..x1, y0..y1)?;
        mesh(&mut c, chart, font)?;
        plot_series(&mut c, series, false)?;
        if !beside {
            legend(&mut c, chart, font)?;
        }
    }
    match legend_area {
        Some(area) => legend_beside(&area, series, font),
        None => Ok(()),
    }
}

/// The legend in its own area right of the plot: one line sample and label per series, from the
/// top of the plot down.
fn legend_beside<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    series: &[Series],
    font: u32,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let step = (font as i32 * 3) / 2;
    let top = font as i32 * 3;
    for (i, s) in series.iter().enumerate() {
        let y = top + i as i32 * step;
        let style =
            ShapeStyle { color: colour(s.colour).to_rgba(), filled: false, stroke_width: 2 };
        if s.dashed {
            area.draw(&PathElement::new(vec![(4, y), (9, y)], style))?;
            area.draw(&PathElement::new(vec![(15, y), (24, y)], style))?;
        } else {
            area.draw(&PathElement::new(vec![(4, y), (24, y)], style))?;
        }
        area.draw(&Text::new(s.label.clone(), (30, y - font as i32 / 2), (FONT, font)))?;
    }
    Ok(())
}

fn mesh<'a, DB: DrawingBackend + 'a, X, Y>(
    c: &mut ChartContext<'a, DB, Cartesian2d<X, Y>>,
    chart: &Chart,
    font: u32,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>>
where
    X: Ranged<ValueType = f64> + ValueFormatter<f64>,
    Y: Ranged<ValueType = f64> + ValueFormatter<f64>,
{
    c.configure_mesh()
        .x_desc(&chart.x_label)
        .y_desc(&chart.y_label)
        .label_style((FONT, font))
        .axis_desc_style((FONT, font))
        .x_labels(6)
        .y_labels(6)
        .x_label_formatter(&|v| short(*v))
        .y_label_formatter(&|v| short(*v))
        .light_line_style(WHITE.mix(0.0))
        .draw()
}

/// Compact tick labels: 3 significant digits, exponent form for very large or small numbers.
fn short(v: f64) -> String {
    if v == 0.0 {
        "0".into()
    } else if v.abs() >= 1e4 || v.abs() < 1e-2 {
        format!("{v:.0e}")
    } else {
        let s = format!("{v:.3}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

fn plot_series<'a, DB: DrawingBackend + 'a, X, Y>(
    c: &mut ChartContext<'a, DB, Cartesian2d<X, Y>>,
    series: &[Series],
    log: bool,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>>
where
    X: Ranged<ValueType = f64>,
    Y: Ranged<ValueType = f64>,
{
    let keep = |y: f64| y.is_finite() && (!log || y > 0.0);
    for s in series {
        let col = colour(s.colour);
        if !s.band.is_empty() {
            let upper = s.band.iter().filter(|b| keep(b.2)).map(|b| (b.0, b.2));
            let lower = s.band.iter().rev().filter(|b| keep(b.1)).map(|b| (b.0, b.1));
            c.draw_series(std::iter::once(Polygon::new(
                upper.chain(lower).collect::<Vec<_>>(),
                col.mix(0.18).filled(),
            )))?;
        }
        let points: Vec<(f64, f64)> = s.points.iter().copied().filter(|p| keep(p.1)).collect();
        let style = ShapeStyle { color: col.to_rgba(), filled: false, stroke_width: 2 };
        let legend_style = style;
        let drawn = if s.dashed {
            c.draw_series(DashedLineSeries::new(points, 6, 4, style))?
        } else {
            c.draw_series(LineSeries::new(points, style))?
        };
        drawn
            .label(&s.label)
            .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 16, y)], legend_style));
    }
    Ok(())
}

fn legend<'a, DB: DrawingBackend + 'a, X, Y>(
    c: &mut ChartContext<'a, DB, Cartesian2d<X, Y>>,
    chart: &Chart,
    font: u32,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>>
where
    X: Ranged<ValueType = f64>,
    Y: Ranged<ValueType = f64>,
{
    if chart.legend {
        c.configure_series_labels()
            .label_font((FONT, font))
            .background_style(WHITE.mix(0.85))
            .border_style(BLACK.mix(0.3))
            .position(SeriesLabelPosition::UpperRight)
            .draw()?;
    }
    Ok(())
}

fn draw_bars<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    chart: &Chart,
    bars: &[Bar],
    font: u32,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let tops = bars.iter().map(|b| b.value + b.error.unwrap_or(0.0));
    let (_, hi) = range(tops.chain([0.0]), false);
    let lo = if chart.log_y {
        0.0
    } else {
        bars.iter().map(|b| b.value - b.error.unwrap_or(0.0)).fold(0.0, f64::min)
    };
    let n = bars.len().max(1) as f64;
    let labels: Vec<String> = bars.iter().map(|b| b.label.clone()).collect();
    let mut c = ChartBuilder::on(area)
        .caption(&chart.title, (FONT, font + 2))
        .margin(8)
        .x_label_area_size(font * 5)
        .y_label_area_size(font * 4 + 8)
        .build_cartesian_2d(-0.5..n - 0.5, lo..hi)?;
    c.configure_mesh()
        .x_desc(&chart.x_label)
        .y_desc(&chart.y_label)
        .label_style((FONT, font))
        .axis_desc_style((FONT, font))
        .x_labels(bars.len().max(1))
        .x_label_formatter(&|v| {
            let i = v.round();
            if (v - i).abs() < 1e-6 && i >= 0.0 {
                labels.get(i as usize).cloned().unwrap_or_default()
            } else {
                String::new()
            }
        })
        .y_label_formatter(&|v| short(*v))
        .disable_x_mesh()
        .light_line_style(WHITE.mix(0.0))
        .draw()?;
    for (i, b) in bars.iter().enumerate() {
        let x = i as f64;
        c.draw_series(std::iter::once(Rectangle::new(
            [(x - 0.35, 0.0), (x + 0.35, b.value)],
            colour(b.colour).filled(),
        )))?;
        if let Some(err) = b.error.filter(|e| *e > 0.0) {
            c.draw_series(std::iter::once(ErrorBar::new_vertical(
                x,
                b.value - err,
                b.value,
                b.value + err,
                BLACK.stroke_width(1),
                8,
            )))?;
        }
    }
    Ok(())
}
