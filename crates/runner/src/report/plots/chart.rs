//! What a figure shows, as data: line charts (with an optional ±std band) and bar charts,
//! alone or in a grid of panels. Figures are pure functions of stored results into these types;
//! `draw.rs` is the only code that knows plotters.

/// One line of a line chart.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    /// Legend label.
    pub label: String,
    /// (x, y) points in order.
    pub points: Vec<(f64, f64)>,
    /// Optional band (x, low, high), e.g. mean ± std over seeds.
    pub band: Vec<(f64, f64, f64)>,
    /// Dashed line (a second quantity of the same series, e.g. the derivative).
    pub dashed: bool,
    /// Index into the palette (same activation, same colour across figures).
    pub colour: usize,
}

/// One bar of a bar chart.
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    /// Category label.
    pub label: String,
    /// Height.
    pub value: f64,
    /// Error bar half-width (e.g. std), if any.
    pub error: Option<f64>,
    /// Palette index.
    pub colour: usize,
}

/// The body of a chart.
#[derive(Debug, Clone, PartialEq)]
pub enum Body {
    /// Lines over a numeric x axis.
    Lines(Vec<Series>),
    /// Bars over categories.
    Bars(Vec<Bar>),
}

/// One chart (a figure, or one panel of a grid).
#[derive(Debug, Clone, PartialEq)]
pub struct Chart {
    /// Title above the plot area.
    pub title: String,
    /// x-axis label, with unit.
    pub x_label: String,
    /// y-axis label, with unit.
    pub y_label: String,
    /// Logarithmic y axis (non-positive values are left out).
    pub log_y: bool,
    /// What is drawn.
    pub body: Body,
    /// Draw a legend.
    pub legend: bool,
}

/// A figure: one chart, or a grid of small panels.
#[derive(Debug, Clone, PartialEq)]
pub enum Layout {
    /// One chart.
    Single(Chart),
    /// Panels in rows of `columns`, under a common title.
    Grid {
        /// The common title.
        title: String,
        /// Panels per row.
        columns: usize,
        /// The panels, row by row.
        panels: Vec<Chart>,
    },
}

/// A figure with its file name and caption.
#[derive(Debug, Clone, PartialEq)]
pub struct Figure {
    /// File stem under `plots/` (`learning-curves-g01-circles`), `[a-z0-9-]`.
    pub stem: String,
    /// One-sentence caption for the reports.
    pub caption: String,
    /// The experiment it belongs to (none: the run as a whole).
    pub experiment: Option<String>,
    /// Pixel size (width, height).
    pub size: (u32, u32),
    /// The content.
    pub layout: Layout,
}

impl Chart {
    /// A line chart.
    pub fn lines(
        title: impl Into<String>,
        x_label: impl Into<String>,
        y_label: impl Into<String>,
        series: Vec<Series>,
    ) -> Chart {
        Chart {
            title: title.into(),
            x_label: x_label.into(),
            y_label: y_label.into(),
            log_y: false,
            body: Body::Lines(series),
            legend: true,
        }
    }

    /// A bar chart.
    pub fn bars(
        title: impl Into<String>,
        x_label: impl Into<String>,
        y_label: impl Into<String>,
        bars: Vec<Bar>,
    ) -> Chart {
        Chart {
            title: title.into(),
            x_label: x_label.into(),
            y_label: y_label.into(),
            log_y: false,
            body: Body::Bars(bars),
            legend: false,
        }
    }

    /// With a logarithmic y axis.
    pub fn log(mut self) -> Chart {
        self.log_y = true;
        self
    }

    /// Whether there is anything to draw.
    pub fn is_empty(&self) -> bool {
        match &self.body {
            Body::Lines(s) => s.iter().all(|s| s.points.is_empty()),
            Body::Bars(b) => b.is_empty(),
        }
    }
}

impl Series {
    /// A solid line.
    pub fn new(label: impl Into<String>, points: Vec<(f64, f64)>, colour: usize) -> Series {
        Series { label: label.into(), points, band: Vec::new(), dashed: false, colour }
    }
}

impl Figure {
    /// Whether no chart of the figure has anything to draw.
    pub fn is_empty(&self) -> bool {
        match &self.layout {
            Layout::Single(c) => c.is_empty(),
            Layout::Grid { panels, .. } => panels.iter().all(Chart::is_empty),
        }
    }
}

/// A file-name-safe stem: lowercase, `[a-z0-9-]`.
pub fn stem(parts: &[&str]) -> String {
    let joined = parts.join("-").to_lowercase();
    let mut out = String::new();
    for c in joined.chars() {
        let c = if c.is_ascii_alphanumeric() { c } else { '-' };
        if !(c == '-' && out.ends_with('-')) {
            out.push(c);
        }
    }
    out.trim_matches('-').to_string()
}
