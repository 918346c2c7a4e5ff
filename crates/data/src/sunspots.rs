//! The yearly sunspot numbers 1700-1979: a real time series, and the classic task of predicting
//! one year's sunspot number from the twelve years before it.
//!
//! **The task** (Weigend, Huberman and Rumelhart, "Predicting the future: a connectionist
//! approach", International Journal of Neural Systems 1(3), 1990): given the yearly sunspot
//! numbers of the years t-12, ..., t-1, predict the number for year t ([`windows`] with
//! [`LAGS`] = 12).
//!
//! **The data** ([`TABLE`], built in): the original (version 1) yearly sunspot numbers of the NOAA
//! National Geophysical Data Center for 1700 to 1979, 280 values, public domain, copied unchanged
//! from the `sunspots` dataset of statsmodels 0.15.0 (`crates/data/data/SUNSPOTS-SOURCE.md` says
//! exactly where from; these are not SILSO's 2015 revision). A user file in the same format is
//! read with [`read`]; every problem in it is reported with the file, the line and what is allowed
//! ([`SunspotError`]).
//!
//! **The split** ([`classic_split`]): training targets 1712-1920 (209 windows; their inputs reach
//! back to 1700), first test period 1921-1955 (35 targets), second test period 1956-1979
//! (24 targets). The second period is known to be harder (the cycles around 1957 are unusually
//! high), so the two are reported separately.
//!
//! **Scaling** ([`Scaler`]): mean and standard deviation of the training targets only, so nothing
//! from the test years leaks into the inputs.
//!
//! **The metric** ([`arv`]): the average relative variance, the mean squared error divided by the
//! variance of the whole series 1700-1979 ([`series_variance`]), as Weigend et al. define it. An
//! ARV of 1 is as good as always predicting the mean; 0 is perfect.
//!
//! **The baseline** ([`fit_ar`]): a linear AR(12) model with intercept fitted by least squares on
//! the training windows, the reference every nonlinear model is compared with.

use std::ops::RangeInclusive;
use std::path::Path;

use thiserror::Error;

use crate::dataset::{
    Baseline, Dataset, Forecast, InputShape, Period, Split as DataSplit, Targets, Task,
};

/// The built-in table: yearly sunspot numbers 1700-1979, header `year,sunspots`.
pub const TABLE: &str = include_str!("../data/sunspots-yearly.csv");

/// The name the built-in table's errors and reports use in place of a path.
pub const TABLE_NAME: &str = "sunspots-yearly.csv (built in)";

/// The header line a table starts with (compared without case and spaces around the fields).
pub const HEADER: &str = "year,sunspots";

/// The number of previous years a prediction uses in the classic task.
pub const LAGS: usize = 12;

/// The fewest rows a table may have: one window of [`LAGS`] inputs and one target.
pub const MIN_ROWS: usize = LAGS + 1;

/// The first year of the classic benchmark (the first input year).
pub const FIRST_YEAR: u32 = 1700;

/// The last year of the classic benchmark (the last target year).
pub const LAST_YEAR: u32 = 1979;

/// Target years of the classic training set (209 windows).
pub const TRAIN_TARGETS: RangeInclusive<u32> = 1712..=1920;

/// Target years of the classic first test period (35 windows).
pub const TEST_1921_1955_TARGETS: RangeInclusive<u32> = 1921..=1955;

/// Target years of the classic second test period (24 windows).
pub const TEST_1956_1979_TARGETS: RangeInclusive<u32> = 1956..=1979;

/// What a sunspot table looks like, for error messages.
const FORMAT: &str = "a sunspot table is a CSV text file: the header line `year,sunspots`, then \
                      one `year,value` row per year, years consecutive and increasing, values \
                      numbers >= 0 (e.g. `1700,5`)";

/// A sunspot table that cannot be read or used. Every message about a file's content names the
/// file and the line (`file:line: ...`) and says what is allowed.
#[derive(Debug, Error)]
pub enum SunspotError {
    /// The file could not be opened or read.
    #[error("{file}: cannot read: {source}")]
    Io {
        /// The file.
        file: String,
        /// Why it could not be read.
        source: std::io::Error,
    },
    /// The file holds nothing but blank lines.
    #[error("{file}:1: the file is empty; {FORMAT}")]
    Empty {
        /// The file.
        file: String,
    },
    /// The file is not text (binary data, bytes that are not UTF-8, control characters).
    #[error("{file}:{line}: this is not a text table (it holds {what}); {FORMAT}")]
    NotText {
        /// The file.
        file: String,
        /// The line holding the first offending byte (1-based).
        line: usize,
        /// What was found.
        what: String,
    },
    /// The first line is not the header `year,sunspots`.
    #[error("{file}:{line}: the first line is `{found}`, not the header `year,sunspots`; {FORMAT}")]
    BadHeader {
        /// The file.
        file: String,
        /// The line (1-based).
        line: usize,
        /// The line found (shortened when long).
        found: String,
    },
    /// A row does not have exactly two fields.
    #[error("{file}:{line}: the row `{found}` has {fields} fields, not 2 (`year,value`); {FORMAT}")]
    BadRow {
        /// The file.
        file: String,
        /// The line (1-based).
        line: usize,
        /// The row found (shortened when long).
        found: String,
        /// How many comma-separated fields it has.
        fields: usize,
    },
    /// A year is not a whole number.
    #[error("{file}:{line}: the year `{found}` is not a whole number >= 0 (e.g. 1700); {FORMAT}")]
    BadYear {
        /// The file.
        file: String,
        /// The line (1-based).
        line: usize,
        /// The field found (shortened when long).
        found: String,
    },
    /// A value is not a finite number.
    #[error(
        "{file}:{line}: the value `{found}` for {year} is not a number (e.g. 5 or 155.4); {FORMAT}"
    )]
    NotANumber {
        /// The file.
        file: String,
        /// The line (1-based).
        line: usize,
        /// The year of the row.
        year: u32,
        /// The field found (shortened when long).
        found: String,
    },
    /// A value is negative.
    #[error(
        "{file}:{line}: the value {value} for {year} is negative; sunspot numbers are >= 0; {FORMAT}"
    )]
    Negative {
        /// The file.
        file: String,
        /// The line (1-based).
        line: usize,
        /// The year of the row.
        year: u32,
        /// The value found.
        value: f64,
    },
    /// A year appears a second time.
    #[error(
        "{file}:{line}: the year {year} appears again (first on line {first_line}); each year appears once; {FORMAT}"
    )]
    DuplicateYear {
        /// The file.
        file: String,
        /// The line of the repeat (1-based).
        line: usize,
        /// The repeated year.
        year: u32,
        /// The line where the year first appears.
        first_line: usize,
    },
    /// A year is skipped.
    #[error(
        "{file}:{line}: the year {missing} is missing (the row for {found} follows the row for {previous}); {FORMAT}"
    )]
    MissingYear {
        /// The file.
        file: String,
        /// The line of the row after the gap (1-based).
        line: usize,
        /// The first missing year.
        missing: u32,
        /// The year of the row before the gap.
        previous: u32,
        /// The year of the row after the gap.
        found: u32,
    },
    /// A year comes before the table's first year.
    #[error(
        "{file}:{line}: the year {found} comes after {previous} but before the first year {first}; {FORMAT}"
    )]
    OutOfOrder {
        /// The file.
        file: String,
        /// The line (1-based).
        line: usize,
        /// The year found.
        found: u32,
        /// The year of the row before.
        previous: u32,
        /// The table's first year.
        first: u32,
    },
    /// The table has too few rows for even one window.
    #[error(
        "{file}:{line}: the table ends after {rows} year rows; at least {MIN_ROWS} are needed \
         (12 input years and one target year), and the classic benchmark uses the 280 years \
         1700-1979; {FORMAT}"
    )]
    TooShort {
        /// The file.
        file: String,
        /// The last line of the file (1-based).
        line: usize,
        /// The rows it has.
        rows: usize,
    },
    /// The series does not cover the years the classic split needs.
    #[error(
        "the sunspot series covers {first}-{last}, but the classic split needs every year from \
         {FIRST_YEAR} to {LAST_YEAR} (inputs from 1700, targets 1712-1979)"
    )]
    NotCovered {
        /// The series' first year.
        first: u32,
        /// The series' last year.
        last: u32,
    },
    /// A table that reads but cannot be used for the task (too few years, an AR fit without a
    /// unique solution).
    #[error("{file}: {problem}")]
    Unusable {
        /// The file.
        file: String,
        /// Why it cannot be used.
        problem: String,
    },
    /// The least-squares problem of an AR fit has no unique solution.
    #[error(
        "cannot fit an AR({lags}) model to {windows} windows: {why}; it needs at least {} \
         windows whose inputs are not linearly dependent",
        lags + 1
    )]
    Singular {
        /// The number of lags.
        lags: usize,
        /// The number of training windows.
        windows: usize,
        /// What is wrong.
        why: String,
    },
}

/// A yearly series: one value per year, years consecutive from `first_year`.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    first_year: u32,
    values: Vec<f64>,
}

impl Series {
    /// A series of `values` for the years `first_year`, `first_year + 1`, ... . Unlike [`parse`]
    /// this checks nothing (values may be negative: synthetic series for tests).
    pub fn new(first_year: u32, values: Vec<f64>) -> Series {
        Series { first_year, values }
    }

    /// The first year.
    pub fn first_year(&self) -> u32 {
        self.first_year
    }

    /// The last year (the first year when the series is empty).
    pub fn last_year(&self) -> u32 {
        self.first_year.saturating_add(self.values.len().saturating_sub(1) as u32)
    }

    /// The values, one per year from [`Series::first_year`].
    pub fn values(&self) -> &[f64] {
        &self.values
    }

    /// The number of years.
    pub fn len(&self) -> usize {
        self.values.len()
    }

    /// True when the series has no years.
    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    /// The value for `year`, if the series has it.
    pub fn get(&self, year: u32) -> Option<f64> {
        let index = year.checked_sub(self.first_year)? as usize;
        self.values.get(index).copied()
    }

    /// The years and their values, in order.
    pub fn iter(&self) -> impl Iterator<Item = (u32, f64)> + '_ {
        self.values.iter().enumerate().map(|(i, &v)| (self.first_year + i as u32, v))
    }

    /// The part of the series from `first` to `last` (inclusive), if it has all those years.
    pub fn years(&self, first: u32, last: u32) -> Option<Series> {
        let start = first.checked_sub(self.first_year)? as usize;
        let end = last.checked_sub(self.first_year)? as usize;
        let values = self.values.get(start..=end)?.to_vec();
        Some(Series { first_year: first, values })
    }
}

/// The built-in table ([`TABLE`]) parsed: 1700-1979, 280 values.
pub fn builtin() -> Series {
    // The table is part of the source and `tests/sunspots.rs` parses it, so this cannot fail.
    parse(TABLE, TABLE_NAME).expect("the built-in sunspot table parses")
}

/// Reads a sunspot table (same format as [`TABLE`]) from a file.
pub fn read(path: &Path) -> Result<Series, SunspotError> {
    let file = path.display().to_string();
    let bytes =
        std::fs::read(path).map_err(|source| SunspotError::Io { file: file.clone(), source })?;
    let text = match std::str::from_utf8(&bytes) {
        Ok(text) => text,
        Err(e) => {
            // Report the first offence: a control character before the invalid byte, or the byte.
            let valid = std::str::from_utf8(&bytes[..e.valid_up_to()]).unwrap_or_default();
            let (line, what) = find_control(valid).unwrap_or_else(|| {
                let line = valid.matches('\n').count() + 1;
                (
                    line,
                    format!("the byte 0x{:02x}, which is not UTF-8 text", bytes[e.valid_up_to()]),
                )
            });
            return Err(SunspotError::NotText { file, line, what });
        }
    };
    parse(text, &file)
}

/// Shortens `text` for an error message.
fn shorten(text: &str) -> String {
    const MAX: usize = 60;
    match text.char_indices().nth(MAX) {
        Some((cut, _)) => format!("{}...", &text[..cut]),
        None => text.to_string(),
    }
}

/// The line (1-based) and a description of the first control character other than a line end or
/// a tab in `text`: the mark of a binary file.
fn find_control(text: &str) -> Option<(usize, String)> {
    let (at, c) =
        text.char_indices().find(|&(_, c)| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))?;
    let line = text[..at].matches('\n').count() + 1;
    let what = if c == '\0' {
        "a NUL byte".to_string()
    } else {
        format!("the control character U+{:04X}", c as u32)
    };
    Some((line, what))
}

/// Parses a sunspot table: the header `year,sunspots` (case and spaces around the fields do not
/// matter), then one `year,value` row per year, years consecutive and increasing, values finite
/// numbers >= 0, at least [`MIN_ROWS`] rows. Blank lines, `\r\n` line ends and a leading byte
/// order mark are accepted. `file` names the table in error messages.
pub fn parse(text: &str, file: &str) -> Result<Series, SunspotError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    // Binary data first: a NUL or another control character is never part of a table.
    if let Some((line, what)) = find_control(text) {
        return Err(SunspotError::NotText { file: file.to_string(), line, what });
    }

    let mut lines =
        text.lines().enumerate().map(|(i, l)| (i + 1, l.trim())).filter(|(_, l)| !l.is_empty());
    let Some((header_line, header)) = lines.next() else {
        return Err(SunspotError::Empty { file: file.to_string() });
    };
    let fields: Vec<String> = header.split(',').map(|f| f.trim().to_ascii_lowercase()).collect();
    if fields != ["year", "sunspots"] {
        return Err(SunspotError::BadHeader {
            file: file.to_string(),
            line: header_line,
            found: shorten(header),
        });
    }

    let mut first_year = 0u32;
    let mut values = Vec::new();
    // The line of each row, by index from the first year, for messages about repeated years.
    let mut row_lines: Vec<usize> = Vec::new();
    for (line, row) in lines {
        let fields: Vec<&str> = row.split(',').map(str::trim).collect();
        let [year_field, value_field] = fields[..] else {
            return Err(SunspotError::BadRow {
                file: file.to_string(),
                line,
                found: shorten(row),
                fields: fields.len(),
            });
        };
        let year: u32 = match year_field.parse() {
            Ok(year) => year,
            Err(_) => {
                return Err(SunspotError::BadYear {
                    file: file.to_string(),
                    line,
                    found: shorten(year_field),
                });
            }
        };
        if values.is_empty() {
            first_year = year;
        } else {
            let previous = first_year + (values.len() - 1) as u32;
            let expected = u64::from(previous) + 1;
            if u64::from(year) > expected {
                return Err(SunspotError::MissingYear {
                    file: file.to_string(),
                    line,
                    missing: previous + 1,
                    previous,
                    found: year,
                });
            }
            if year < first_year {
                return Err(SunspotError::OutOfOrder {
                    file: file.to_string(),
                    line,
                    found: year,
                    previous,
                    first: first_year,
                });
            }
            if year <= previous {
                return Err(SunspotError::DuplicateYear {
                    file: file.to_string(),
                    line,
                    year,
                    first_line: row_lines[(year - first_year) as usize],
                });
            }
        }
        let value: f64 = match value_field.parse::<f64>() {
            Ok(value) if value.is_finite() => value,
            _ => {
                return Err(SunspotError::NotANumber {
                    file: file.to_string(),
                    line,
                    year,
                    found: shorten(value_field),
                });
            }
        };
        if value < 0.0 {
            return Err(SunspotError::Negative { file: file.to_string(), line, year, value });
        }
        // `+ 0.0` turns a `-0` into 0.
        values.push(value + 0.0);
        row_lines.push(line);
    }

    if values.len() < MIN_ROWS {
        return Err(SunspotError::TooShort {
            file: file.to_string(),
            line: text.lines().count().max(1),
            rows: values.len(),
        });
    }
    Ok(Series { first_year, values })
}

/// One prediction example: the values of the `lags` years before `target_year`, and the value of
/// `target_year`.
#[derive(Debug, Clone, PartialEq)]
pub struct Window {
    /// The year predicted.
    pub target_year: u32,
    /// The values of the years `target_year - lags` to `target_year - 1`, oldest first (the last
    /// entry is the year just before the target).
    pub inputs: Vec<f64>,
    /// The value of `target_year`.
    pub target: f64,
}

/// Every window of the series with `lags` inputs: one per target year from
/// `first_year + lags` to the last year, in order (none when the series has `lags` years or
/// fewer).
pub fn windows(series: &Series, lags: usize) -> Vec<Window> {
    let values = series.values();
    (lags..values.len())
        .map(|t| Window {
            target_year: series.first_year() + t as u32,
            inputs: values[t - lags..t].to_vec(),
            target: values[t],
        })
        .collect()
}

/// The targets of `windows`, in order.
pub fn targets(windows: &[Window]) -> Vec<f64> {
    windows.iter().map(|w| w.target).collect()
}

/// The classic split of the sunspot task ([`LAGS`] = 12 inputs per window).
#[derive(Debug, Clone, PartialEq)]
pub struct Split {
    /// Training windows, targets 1712-1920 (209; inputs from 1700).
    pub train: Vec<Window>,
    /// First test period, targets 1921-1955 (35).
    pub test_1921_1955: Vec<Window>,
    /// Second test period, targets 1956-1979 (24).
    pub test_1956_1979: Vec<Window>,
}

impl Split {
    /// The scaler fitted to the training targets ([`Scaler::from_training`]).
    pub fn scaler(&self) -> Scaler {
        Scaler::from_training(&self.train)
    }
}

/// Builds the classic split from a series covering at least 1700-1979 (years outside that span
/// are ignored).
pub fn classic_split(series: &Series) -> Result<Split, SunspotError> {
    let covered = series
        .years(FIRST_YEAR, LAST_YEAR)
        .ok_or(SunspotError::NotCovered { first: series.first_year(), last: series.last_year() })?;
    let all = windows(&covered, LAGS);
    let pick = |years: &RangeInclusive<u32>| -> Vec<Window> {
        all.iter().filter(|w| years.contains(&w.target_year)).cloned().collect()
    };
    Ok(Split {
        train: pick(&TRAIN_TARGETS),
        test_1921_1955: pick(&TEST_1921_1955_TARGETS),
        test_1956_1979: pick(&TEST_1956_1979_TARGETS),
    })
}

/// An affine scaling `(x - mean) / std` applied to inputs and targets alike.
///
/// The statistics come from the training targets (1712-1920) only: the test years must not
/// influence anything the model sees, and the targets are what the model predicts. The standard
/// deviation is the population one (divide by N). The inputs of the training windows are the
/// same years shifted (plus 1700-1711), so their statistics differ only slightly.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Scaler {
    mean: f64,
    std: f64,
}

impl Scaler {
    /// The scaler with the mean and population standard deviation of `values`. A standard
    /// deviation of 0 (constant or empty `values`) is replaced by 1, so scaling stays defined; the
    /// mean of no values is 0.
    pub fn fit(values: &[f64]) -> Scaler {
        let mean = mean(values).unwrap_or(0.0);
        let std = population_variance(values).map_or(0.0, f64::sqrt);
        Scaler { mean, std: if std > 0.0 { std } else { 1.0 } }
    }

    /// The scaler fitted to the targets of the training windows.
    pub fn from_training(train: &[Window]) -> Scaler {
        Scaler::fit(&targets(train))
    }

    /// The mean subtracted.
    pub fn mean(&self) -> f64 {
        self.mean
    }

    /// The standard deviation divided by.
    pub fn std(&self) -> f64 {
        self.std
    }

    /// `(x - mean) / std`.
    pub fn scale(&self, x: f64) -> f64 {
        (x - self.mean) / self.std
    }

    /// `z * std + mean`, the inverse of [`Scaler::scale`] (turns a scaled prediction back into a
    /// sunspot number, for [`arv`]).
    pub fn unscale(&self, z: f64) -> f64 {
        z * self.std + self.mean
    }

    /// The window with its inputs and target scaled.
    pub fn scale_window(&self, window: &Window) -> Window {
        Window {
            target_year: window.target_year,
            inputs: window.inputs.iter().map(|&x| self.scale(x)).collect(),
            target: self.scale(window.target),
        }
    }
}

fn mean(values: &[f64]) -> Option<f64> {
    (!values.is_empty()).then(|| values.iter().sum::<f64>() / values.len() as f64)
}

fn population_variance(values: &[f64]) -> Option<f64> {
    let m = mean(values)?;
    Some(values.iter().map(|v| (v - m) * (v - m)).sum::<f64>() / values.len() as f64)
}

/// The population variance (divide by N, not N - 1) of the whole series; for the classic task,
/// pass the series 1700-1979 (the built-in table): this is the sigma^2 of the full data set that
/// Weigend et al. divide by in the [`arv`]. 0 for an empty series.
pub fn series_variance(series: &Series) -> f64 {
    population_variance(series.values()).unwrap_or(0.0)
}

/// The mean squared error of `predictions` against `targets`.
///
/// # Panics
///
/// When the lengths differ or are 0.
pub fn mse(predictions: &[f64], targets: &[f64]) -> f64 {
    assert_eq!(predictions.len(), targets.len(), "one prediction per target");
    assert!(!targets.is_empty(), "the mean squared error of no predictions is undefined");
    predictions.iter().zip(targets).map(|(p, t)| (p - t) * (p - t)).sum::<f64>()
        / targets.len() as f64
}

/// The average relative variance, `mse(predictions, targets) / variance`, the metric of
/// Weigend, Huberman and Rumelhart (1990).
///
/// For the classic task `variance` is [`series_variance`] of the whole series 1700-1979 (the
/// same divisor for both test periods, as in the paper), and predictions and targets are
/// sunspot numbers (unscaled). 0 is perfect; 1 is what always predicting the series mean scores
/// on the whole series.
///
/// # Panics
///
/// When the lengths differ or are 0.
pub fn arv(predictions: &[f64], targets: &[f64], variance: f64) -> f64 {
    mse(predictions, targets) / variance
}

/// The ARV against the test period's own population variance (the mean squared error divided by
/// the variance of `targets`), so 1 is what predicting that period's mean scores. Not the
/// paper's metric (that is [`arv`] with [`series_variance`]); periods with unusual variance
/// (1956-1979) come out differently.
///
/// # Panics
///
/// When the lengths differ or are 0.
pub fn arv_own_variance(predictions: &[f64], targets: &[f64]) -> f64 {
    arv(predictions, targets, population_variance(targets).unwrap_or(0.0))
}

/// A linear autoregressive model: `intercept + sum_i coefficients[i] * inputs[i]`, with
/// `coefficients[i]` the weight of the input `i` of a [`Window`] (oldest year first).
#[derive(Debug, Clone, PartialEq)]
pub struct ArModel {
    intercept: f64,
    coefficients: Vec<f64>,
}

impl ArModel {
    /// A model with the given intercept and coefficients (oldest lag first).
    pub fn new(intercept: f64, coefficients: Vec<f64>) -> ArModel {
        ArModel { intercept, coefficients }
    }

    /// The intercept.
    pub fn intercept(&self) -> f64 {
        self.intercept
    }

    /// The coefficients, one per lag, oldest year first (the last one multiplies the year just
    /// before the target).
    pub fn coefficients(&self) -> &[f64] {
        &self.coefficients
    }

    /// The number of lags.
    pub fn lags(&self) -> usize {
        self.coefficients.len()
    }

    /// The prediction for `window`.
    ///
    /// # Panics
    ///
    /// When the window has a different number of inputs than the model has lags.
    pub fn predict(&self, window: &Window) -> f64 {
        assert_eq!(
            window.inputs.len(),
            self.lags(),
            "an AR({}) model needs that many inputs",
            self.lags()
        );
        self.intercept
            + self.coefficients.iter().zip(&window.inputs).map(|(a, x)| a * x).sum::<f64>()
    }

    /// The predictions for `windows`, in order.
    pub fn predict_all(&self, windows: &[Window]) -> Vec<f64> {
        windows.iter().map(|w| self.predict(w)).collect()
    }
}

/// Fits an AR model (intercept plus one coefficient per input) to `train` by ordinary least
/// squares; see [`try_fit_ar`].
///
/// # Panics
///
/// When [`try_fit_ar`] fails: no windows, windows with different numbers of inputs, or inputs
/// that do not determine the coefficients.
pub fn fit_ar(train: &[Window]) -> ArModel {
    try_fit_ar(train).unwrap_or_else(|e| panic!("{e}"))
}

/// Fits an AR model to `train` by ordinary least squares: the design matrix X has a row
/// `[1, inputs...]` per window and y holds the targets; the coefficients b solve the normal
/// equations `(X^T X) b = X^T y`, accumulated and solved in f64.
///
/// The solve is a Cholesky factorisation (X^T X is symmetric positive definite when the columns
/// of X are independent) after a symmetric diagonal scaling that gives X^T X a unit diagonal
/// (the intercept column and sunspot-sized columns differ by orders of magnitude, and the
/// scaling is exact in theory and improves the conditioning in practice). A pivot that is not
/// clearly positive (relative to the unit diagonal) means the columns are linearly dependent
/// (e.g. a constant series), and the fit fails instead of returning meaningless numbers.
pub fn try_fit_ar(train: &[Window]) -> Result<ArModel, SunspotError> {
    let lags = train.first().map_or(0, |w| w.inputs.len());
    let singular = |why: String| SunspotError::Singular { lags, windows: train.len(), why };
    if train.is_empty() {
        return Err(singular("there are no windows".to_string()));
    }
    if let Some(w) = train.iter().find(|w| w.inputs.len() != lags) {
        return Err(singular(format!(
            "the window for {} has {} inputs, the first has {lags}",
            w.target_year,
            w.inputs.len()
        )));
    }
    let n = lags + 1;
    if train.len() < n {
        return Err(singular(format!("{n} parameters need at least {n} windows")));
    }

    // Normal equations A b = c with A = X^T X (lower triangle, row-major n x n), c = X^T y.
    let mut a = vec![0.0f64; n * n];
    let mut c = vec![0.0f64; n];
    let mut row = vec![0.0f64; n];
    for w in train {
        row[0] = 1.0;
        row[1..].copy_from_slice(&w.inputs);
        for (i, &ri) in row.iter().enumerate() {
            c[i] += ri * w.target;
            for (aij, &rj) in a[i * n..=i * n + i].iter_mut().zip(&row) {
                *aij += ri * rj;
            }
        }
    }

    let b = solve_spd(a, c)
        .ok_or_else(|| singular("the inputs are linearly dependent (e.g. constant)".to_string()))?;
    Ok(ArModel { intercept: b[0], coefficients: b[1..].to_vec() })
}

fn dot(x: &[f64], y: &[f64]) -> f64 {
    x.iter().zip(y).map(|(a, b)| a * b).sum()
}

/// Solves `a x = c` for a symmetric positive definite `a` (row-major `n x n`, only the lower
/// triangle is read) by Cholesky factorisation after a symmetric diagonal scaling to a unit
/// diagonal. `None` when `a` is not (numerically) positive definite.
fn solve_spd(mut a: Vec<f64>, mut c: Vec<f64>) -> Option<Vec<f64>> {
    let n = c.len();
    assert_eq!(a.len(), n * n, "an n x n matrix");
    // Scale: a' = D a D, c' = D c, x = D x' with D = diag(1 / sqrt(a_ii)).
    let mut d = Vec::with_capacity(n);
    for i in 0..n {
        let aii = a[i * n + i];
        if !aii.is_finite() || aii <= 0.0 {
            return None;
        }
        d.push(1.0 / aii.sqrt());
    }
    for i in 0..n {
        for (aij, dj) in a[i * n..=i * n + i].iter_mut().zip(&d) {
            *aij *= d[i] * dj;
        }
        c[i] *= d[i];
    }

    // Cholesky: a = L L^T, L overwriting the lower triangle of `a`. After the scaling the
    // diagonal is 1, so a pivot below `tolerance` means the columns are (numerically) dependent.
    let tolerance = 1e-13 * n as f64;
    for j in 0..n {
        let pivot = a[j * n + j] - dot(&a[j * n..j * n + j], &a[j * n..j * n + j]);
        if pivot.is_nan() || pivot <= tolerance {
            return None;
        }
        let pivot = pivot.sqrt();
        a[j * n + j] = pivot;
        for i in j + 1..n {
            let sum = a[i * n + j] - dot(&a[i * n..i * n + j], &a[j * n..j * n + j]);
            a[i * n + j] = sum / pivot;
        }
    }
    // Forward substitution L z = c, then back substitution L^T x = z.
    for i in 0..n {
        let sum = c[i] - dot(&a[i * n..i * n + i], &c[..i]);
        c[i] = sum / a[i * n + i];
    }
    for i in (0..n).rev() {
        let sum = c[i] - (i + 1..n).map(|k| a[k * n + i] * c[k]).sum::<f64>();
        c[i] = sum / a[i * n + i];
    }
    Some(c.iter().zip(&d).map(|(x, d)| x * d).collect())
}

/// What [`dataset`]'s baseline is called in records and tables.
pub const BASELINE_NAME: &str = "AR(12), least squares";

/// The classic task as a training dataset: each window's twelve lags are a sequence of twelve
/// steps of one feature (an MLP reads them as twelve inputs), the target the next year, inputs
/// and targets scaled by the training targets' mean and standard deviation ([`Scaler`]). The
/// test split holds 1921-1955 then 1956-1979, each also a named period; the metric is the
/// [`arv`] against [`series_variance`] of the whole series 1700-1979 (in scaled units); the
/// baseline is [`fit_ar`] on the training windows, scored the same way. `file` names the table
/// in messages and in the dataset's source.
pub fn dataset(series: &Series, file: &str) -> Result<Dataset, SunspotError> {
    let unusable =
        |e: SunspotError| SunspotError::Unusable { file: file.into(), problem: e.to_string() };
    let split = classic_split(series).map_err(unusable)?;
    let covered = series.years(FIRST_YEAR, LAST_YEAR).expect("classic_split checked the years");
    let variance = series_variance(&covered);
    if variance <= 0.0 {
        return Err(SunspotError::Unusable {
            file: file.into(),
            problem: format!(
                "the series {FIRST_YEAR}-{LAST_YEAR} is constant: its variance is 0, so the ARV is undefined"
            ),
        });
    }
    let ar = try_fit_ar(&split.train).map_err(unusable)?;
    let scaler = split.scaler();
    let arv_of = |windows: &[Window]| arv(&ar.predict_all(windows), &targets(windows), variance);
    let test: Vec<Window> =
        split.test_1921_1955.iter().chain(&split.test_1956_1979).cloned().collect();
    let periods = vec![
        Period { name: "1921-1955".into(), start: 0, len: split.test_1921_1955.len() },
        Period {
            name: "1956-1979".into(),
            start: split.test_1921_1955.len(),
            len: split.test_1956_1979.len(),
        },
    ];
    let baseline = Baseline {
        name: BASELINE_NAME.into(),
        train_metric: arv_of(&split.train),
        test_metric: arv_of(&test),
        test_periods: [
            ("1921-1955".to_string(), arv_of(&split.test_1921_1955)),
            ("1956-1979".to_string(), arv_of(&split.test_1956_1979)),
        ]
        .into_iter()
        .collect(),
    };
    let to_split = |windows: &[Window]| DataSplit {
        inputs: windows
            .iter()
            .flat_map(|w| w.inputs.iter().map(|&x| scaler.scale(x) as f32))
            .collect(),
        targets: Targets::Values {
            values: windows.iter().map(|w| scaler.scale(w.target) as f32).collect(),
            width: 1,
        },
    };
    Ok(Dataset {
        source: format!(
            "yearly sunspot numbers ({file}): {} training targets 1712-1920, test 1921-1955 ({}) and 1956-1979 ({}); 12 years in, the next out, scaled by the training targets' mean {:.2} and standard deviation {:.2}",
            split.train.len(),
            split.test_1921_1955.len(),
            split.test_1956_1979.len(),
            scaler.mean(),
            scaler.std()
        ),
        task: Task::Regression { outputs: 1 },
        input: InputShape::Sequence { steps: LAGS, features: 1 },
        train: to_split(&split.train),
        test: to_split(&test),
        forecast: Some(Forecast {
            periods,
            variance: variance / (scaler.std() * scaler.std()),
            baseline,
        }),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn solve_spd_solves_a_small_system() {
        // a = [[4, 2, 0], [2, 5, 1], [0, 1, 3]], x = [1, -2, 3] -> c = a x = [0, -5, 7].
        let a = vec![4.0, 2.0, 0.0, 2.0, 5.0, 1.0, 0.0, 1.0, 3.0];
        let x = solve_spd(a, vec![0.0, -5.0, 7.0]).unwrap();
        for (got, want) in x.iter().zip([1.0, -2.0, 3.0]) {
            assert!((got - want).abs() < 1e-12, "{x:?}");
        }
    }

    #[test]
    fn solve_spd_rejects_a_singular_matrix() {
        assert!(solve_spd(vec![1.0, 2.0, 2.0, 4.0], vec![1.0, 2.0]).is_none());
        assert!(solve_spd(vec![0.0], vec![1.0]).is_none());
        assert!(solve_spd(vec![1.0, 0.0, 2.0, 1.0], vec![1.0, 2.0]).is_none());
    }

    #[test]
    fn constant_series_cannot_be_fitted() {
        let series = Series::new(0, vec![3.0; 40]);
        let e = try_fit_ar(&windows(&series, 2)).unwrap_err();
        assert!(e.to_string().contains("linearly dependent"), "{e}");
        assert!(try_fit_ar(&[]).is_err());
    }

    #[test]
    fn parse_accepts_crlf_bom_blank_lines_and_header_case() {
        let mut text = String::from("\u{feff}Year , SUNSPOTS\r\n\r\n");
        for year in 1800..1813 {
            text.push_str(&format!("{year}, {}\r\n", year - 1800));
        }
        text.push_str("\r\n");
        let series = parse(&text, "t.csv").unwrap();
        assert_eq!(series.first_year(), 1800);
        assert_eq!(series.last_year(), 1812);
        assert_eq!(series.get(1805), Some(5.0));
        assert_eq!(series.get(1799), None);
        assert_eq!(series.get(1813), None);
    }

    #[test]
    fn negative_zero_is_zero() {
        let mut text = String::from("year,sunspots\n");
        for year in 0..13 {
            text.push_str(&format!("{year},-0\n"));
        }
        let series = parse(&text, "t.csv").unwrap();
        assert!(series.values().iter().all(|v| v.is_sign_positive()));
    }

    #[test]
    fn windows_of_a_short_series_are_empty() {
        let series = Series::new(2000, vec![1.0, 2.0, 3.0]);
        assert!(windows(&series, 3).is_empty());
        let w = windows(&series, 2);
        assert_eq!(w.len(), 1);
        assert_eq!(w[0], Window { target_year: 2002, inputs: vec![1.0, 2.0], target: 3.0 });
    }

    #[test]
    fn scaler_round_trips_and_survives_constant_data() {
        let s = Scaler::fit(&[1.0, 2.0, 3.0, 4.0]);
        assert!((s.mean() - 2.5).abs() < 1e-15);
        assert!((s.std() - 1.25f64.sqrt()).abs() < 1e-15);
        assert!((s.unscale(s.scale(7.0)) - 7.0).abs() < 1e-12);
        let c = Scaler::fit(&[5.0, 5.0]);
        assert_eq!((c.mean(), c.std()), (5.0, 1.0));
        assert_eq!(Scaler::fit(&[]).scale(2.0), 2.0);
    }

    #[test]
    fn classic_split_needs_the_whole_span() {
        let short = Series::new(1701, vec![1.0; 300]);
        let e = classic_split(&short).unwrap_err();
        assert!(e.to_string().contains("covers 1701-2000"), "{e}");
        let long = Series::new(1650, vec![1.0; 400]);
        let split = classic_split(&long).unwrap();
        assert_eq!(split.train.first().unwrap().target_year, 1712);
        assert_eq!(split.test_1956_1979.last().unwrap().target_year, 1979);
    }
}
