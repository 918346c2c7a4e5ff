//! The sunspot task: the shipped table, the classic split, the ARV, the AR(12) least-squares fit
//! and the messages for bad tables.

use std::path::PathBuf;

use actbench_data::sunspots::{
    self, ArModel, LAGS, Series, SunspotError, TABLE, TABLE_NAME, Window, arv, arv_own_variance,
    builtin, classic_split, fit_ar, parse, read, series_variance, targets, windows,
};

#[test]
fn shipped_table_parses() {
    let series = parse(TABLE, TABLE_NAME).unwrap();
    assert_eq!(series.len(), 280);
    assert_eq!(series.first_year(), 1700);
    assert_eq!(series.last_year(), 1979);
    assert_eq!(series, sunspots::builtin());
    // Spot checks against statsmodels 0.15.0 `datasets/sunspots/sunspots.csv`.
    for (year, value) in [
        (1700, 5.0),
        (1701, 11.0),
        (1749, 80.9),
        (1750, 83.4),
        (1778, 154.4),
        (1810, 0.0),
        (1870, 139.0),
        (1913, 1.4),
        (1957, 190.2),
        (1979, 155.4),
    ] {
        assert_eq!(series.get(year), Some(value), "{year}");
    }
    let years: Vec<u32> = series.iter().map(|(y, _)| y).collect();
    assert_eq!(years, (1700..=1979).collect::<Vec<_>>());
    assert!(series.values().iter().all(|&v| v >= 0.0));
}

#[test]
fn classic_split_has_the_documented_counts() {
    let series = sunspots::builtin();
    let split = classic_split(&series).unwrap();
    assert_eq!(split.train.len(), 209);
    assert_eq!(split.test_1921_1955.len(), 35);
    assert_eq!(split.test_1956_1979.len(), 24);
    assert_eq!(split.train.first().unwrap().target_year, 1712);
    assert_eq!(split.train.last().unwrap().target_year, 1920);
    assert_eq!(split.test_1921_1955.first().unwrap().target_year, 1921);
    assert_eq!(split.test_1921_1955.last().unwrap().target_year, 1955);
    assert_eq!(split.test_1956_1979.first().unwrap().target_year, 1956);
    assert_eq!(split.test_1956_1979.last().unwrap().target_year, 1979);

    let all = split.train.iter().chain(&split.test_1921_1955).chain(&split.test_1956_1979);
    for (i, w) in all.enumerate() {
        assert_eq!(w.target_year, 1712 + i as u32);
        assert_eq!(w.inputs.len(), LAGS);
        assert_eq!(Some(w.target), series.get(w.target_year));
        for (k, &x) in w.inputs.iter().enumerate() {
            // Oldest first: input k is the year target - 12 + k.
            assert_eq!(Some(x), series.get(w.target_year - 12 + k as u32));
        }
    }
    // The split is the tail of all 12-lag windows.
    assert_eq!(windows(&series, LAGS).len(), 209 + 35 + 24);

    // A longer series (e.g. the whole statsmodels table to 2008) gives the same split.
    let mut longer = series.values().to_vec();
    longer.extend([100.0; 29]);
    assert_eq!(classic_split(&Series::new(1700, longer)).unwrap(), split);
}

#[test]
fn scaler_uses_the_training_targets() {
    let split = classic_split(&sunspots::builtin()).unwrap();
    let scaler = split.scaler();
    let scaled: Vec<f64> = split.train.iter().map(|w| scaler.scale(w.target)).collect();
    let mean = scaled.iter().sum::<f64>() / scaled.len() as f64;
    let var = scaled.iter().map(|z| (z - mean) * (z - mean)).sum::<f64>() / scaled.len() as f64;
    assert!(mean.abs() < 1e-12, "{mean}");
    assert!((var - 1.0).abs() < 1e-12, "{var}");
    let w = scaler.scale_window(&split.test_1956_1979[0]);
    assert!((scaler.unscale(w.target) - split.test_1956_1979[0].target).abs() < 1e-9);
    assert!((scaler.unscale(w.inputs[11]) - split.test_1956_1979[0].inputs[11]).abs() < 1e-9);
}

#[test]
fn arv_is_zero_for_perfect_and_one_for_the_mean() {
    let series = sunspots::builtin();
    let values = series.values();
    let variance = series_variance(&series);
    assert_eq!(arv(values, values, variance), 0.0);
    let mean = values.iter().sum::<f64>() / values.len() as f64;
    let predict_mean = vec![mean; values.len()];
    assert!((arv(&predict_mean, values, variance) - 1.0).abs() < 1e-12);
    assert!((arv_own_variance(&predict_mean, values) - 1.0).abs() < 1e-12);
    // Population variance: divide by N.
    let by_hand = values.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / 280.0;
    assert!((variance - by_hand).abs() < 1e-9);
    // ARV against a period's own variance is 1 for that period's mean.
    let period = &values[221..256];
    let m = period.iter().sum::<f64>() / period.len() as f64;
    assert!((arv_own_variance(&vec![m; period.len()], period) - 1.0).abs() < 1e-12);
}

/// A small deterministic generator (xorshift64*) for test inputs.
struct Rng(u64);

impl Rng {
    fn uniform(&mut self) -> f64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        (self.0.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 11) as f64 / (1u64 << 53) as f64
    }
}

#[test]
fn ar12_fit_recovers_exact_coefficients() {
    // Targets generated exactly by a known AR(12) with intercept from sunspot-sized inputs.
    let intercept = 7.5;
    let coefficients: Vec<f64> =
        (0..12).map(|i| 0.3 * (-1.0f64).powi(i) / (1.0 + i as f64)).collect();
    let truth = ArModel::new(intercept, coefficients.clone());
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let train: Vec<Window> = (0..200)
        .map(|i| {
            let inputs: Vec<f64> = (0..12).map(|_| 200.0 * rng.uniform()).collect();
            let mut w = Window { target_year: 1000 + i, inputs, target: 0.0 };
            w.target = truth.predict(&w);
            w
        })
        .collect();
    let fitted = fit_ar(&train);
    assert_eq!(fitted.lags(), 12);
    assert!((fitted.intercept() - intercept).abs() < 1e-9, "{}", fitted.intercept());
    for (got, want) in fitted.coefficients().iter().zip(&coefficients) {
        assert!((got - want).abs() < 1e-9, "{got} vs {want}");
    }
}

#[test]
fn ar2_fit_recovers_a_noise_free_series() {
    // x_t = c + a1 x_{t-2} + a2 x_{t-1} with a2 = 2 cos(w), a1 = -1: an undamped 11-year cycle
    // around 50 (c = 50 (1 - a1 - a2)).
    let w = 2.0 * std::f64::consts::PI / 11.0;
    let (a1, a2) = (-1.0, 2.0 * w.cos());
    let c = 50.0 * (1.0 - a1 - a2);
    let mut values = vec![80.0, 20.0];
    for t in 2..120 {
        values.push(c + a1 * values[t - 2] + a2 * values[t - 1]);
    }
    let fitted = fit_ar(&windows(&Series::new(1700, values), 2));
    assert!((fitted.intercept() - c).abs() < 1e-9, "{} vs {c}", fitted.intercept());
    assert!((fitted.coefficients()[0] - a1).abs() < 1e-9, "{:?}", fitted.coefficients());
    assert!((fitted.coefficients()[1] - a2).abs() < 1e-9, "{:?}", fitted.coefficients());
}

#[test]
fn one_lag_fit_matches_simple_linear_regression() {
    let split = classic_split(&sunspots::builtin()).unwrap();
    let train: Vec<Window> = split
        .train
        .iter()
        .map(|w| Window { inputs: vec![w.inputs[LAGS - 1]], ..w.clone() })
        .collect();
    let n = train.len() as f64;
    let x_mean = train.iter().map(|w| w.inputs[0]).sum::<f64>() / n;
    let y_mean = train.iter().map(|w| w.target).sum::<f64>() / n;
    let sxy = train.iter().map(|w| (w.inputs[0] - x_mean) * (w.target - y_mean)).sum::<f64>();
    let sxx = train.iter().map(|w| (w.inputs[0] - x_mean).powi(2)).sum::<f64>();
    let slope = sxy / sxx;
    let intercept = y_mean - slope * x_mean;
    let fitted = fit_ar(&train);
    assert!((fitted.coefficients()[0] - slope).abs() < 1e-9 * slope.abs(), "{slope}");
    assert!((fitted.intercept() - intercept).abs() < 1e-9 * intercept.abs(), "{intercept}");
}

#[test]
fn ar12_fit_on_sunspots_solves_the_normal_equations() {
    // The residuals of a least-squares fit are orthogonal to every column of X.
    let split = classic_split(&sunspots::builtin()).unwrap();
    let model = fit_ar(&split.train);
    let residuals: Vec<f64> = split.train.iter().map(|w| w.target - model.predict(w)).collect();
    let scale = split.train.iter().map(|w| w.target * w.target).sum::<f64>();
    let mut columns = vec![residuals.iter().sum::<f64>()];
    for k in 0..LAGS {
        columns.push(split.train.iter().zip(&residuals).map(|(w, r)| w.inputs[k] * r).sum());
    }
    for (k, g) in columns.iter().enumerate() {
        assert!(g.abs() < 1e-10 * scale, "column {k}: X^T r = {g}");
    }
    // Better than predicting the mean on the training set.
    let mse = residuals.iter().map(|r| r * r).sum::<f64>() / residuals.len() as f64;
    let targets = sunspots::targets(&split.train);
    let mean = targets.iter().sum::<f64>() / targets.len() as f64;
    let var = targets.iter().map(|t| (t - mean) * (t - mean)).sum::<f64>() / targets.len() as f64;
    assert!(mse < 0.5 * var, "{mse} vs {var}");
}

// ---- bad tables -----------------------------------------------------------------------------

/// The shipped table with line `line` (1-based) replaced by `replacement` (`None`: removed).
fn edited(line: usize, replacement: Option<&str>) -> String {
    let mut lines: Vec<&str> = TABLE.lines().collect();
    match replacement {
        Some(text) => lines[line - 1] = text,
        None => {
            lines.remove(line - 1);
        }
    }
    lines.join("\n") + "\n"
}

fn message(text: &str) -> String {
    let e = parse(text, "my.csv").unwrap_err();
    e.to_string()
}

fn assert_mentions(msg: &str, parts: &[&str]) {
    for part in parts {
        assert!(msg.contains(part), "`{part}` not in: {msg}");
    }
}

#[test]
fn missing_year_is_named() {
    // Line 52 holds 1750.
    assert_eq!(TABLE.lines().nth(51), Some("1750,83.4"));
    let msg = message(&edited(52, None));
    assert_mentions(
        &msg,
        &["my.csv:52:", "the year 1750 is missing", "follows the row for 1749", "consecutive"],
    );
}

#[test]
fn non_number_is_named() {
    let msg = message(&edited(62, Some("1760,abc")));
    assert_mentions(&msg, &["my.csv:62:", "`abc`", "for 1760 is not a number"]);
    let msg = message(&edited(62, Some("1760,NaN")));
    assert_mentions(&msg, &["my.csv:62:", "`NaN`", "not a number"]);
    let msg = message(&edited(62, Some("1760,")));
    assert_mentions(&msg, &["my.csv:62:", "``", "not a number"]);
    let msg = message(&edited(62, Some("17x0,5")));
    assert_mentions(&msg, &["my.csv:62:", "the year `17x0` is not a whole number"]);
}

#[test]
fn negative_value_is_named() {
    let msg = message(&edited(100, Some("1798,-4.1")));
    assert_mentions(&msg, &["my.csv:100:", "-4.1 for 1798 is negative", ">= 0"]);
}

#[test]
fn duplicate_year_is_named() {
    // 1705 is on line 7; a second 1705 after it lands on line 8.
    let mut lines: Vec<&str> = TABLE.lines().collect();
    assert_eq!(lines[6], "1705,58");
    lines.insert(7, "1705,58");
    let msg = message(&(lines.join("\n") + "\n"));
    assert_mentions(&msg, &["my.csv:8:", "the year 1705 appears again", "first on line 7"]);
    // A year from before the first row.
    let msg = message(&edited(3, Some("1600,11")));
    assert_mentions(&msg, &["my.csv:3:", "1600", "before the first year 1700"]);
}

#[test]
fn wrong_header_is_named() {
    // statsmodels' own header.
    let msg = message(&edited(1, Some("\"YEAR\",\"SUNACTIVITY\"")));
    assert_mentions(
        &msg,
        &["my.csv:1:", "\"YEAR\",\"SUNACTIVITY\"", "not the header `year,sunspots`"],
    );
    // Other columns.
    let msg = message(&edited(1, Some("year,sunspots,month")));
    assert_mentions(&msg, &["my.csv:1:", "year,sunspots,month", "not the header"]);
    // No header at all.
    let msg = message(&edited(1, None));
    assert_mentions(&msg, &["my.csv:1:", "`1700,5`", "not the header"]);
    // Extra column in a row.
    let msg = message(&edited(5, Some("1703,23,7")));
    assert_mentions(&msg, &["my.csv:5:", "has 3 fields, not 2"]);
    // Empty file.
    assert_mentions(&message("\n \n"), &["my.csv:1:", "empty"]);
}

#[test]
fn too_few_rows_are_named() {
    let text: String = TABLE.lines().take(11).map(|l| format!("{l}\n")).collect();
    let msg = message(&text);
    assert_mentions(&msg, &["my.csv:11:", "after 10 year rows", "at least 13"]);
    // Enough rows to parse, too few for the classic split.
    let text: String = TABLE.lines().take(101).map(|l| format!("{l}\n")).collect();
    let series = parse(&text, "my.csv").unwrap();
    let msg = classic_split(&series).unwrap_err().to_string();
    assert_mentions(&msg, &["covers 1700-1799", "1700 to 1979"]);
}

/// A scratch file, removed when dropped.
struct Scratch(PathBuf);

impl Scratch {
    fn new(name: &str, bytes: &[u8]) -> Scratch {
        let path =
            std::env::temp_dir().join(format!("actbench-sunspots-{}-{name}", std::process::id()));
        std::fs::write(&path, bytes).unwrap();
        Scratch(path)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

#[test]
fn binary_file_is_named() {
    // A gzip header on line 1: its first byte is a control character.
    let gz = Scratch::new("gz.csv", &[0x1f, 0x8b, 0x08, 0x00, 0xff, 0x00, b'\n']);
    let msg = read(&gz.0).unwrap_err().to_string();
    assert_mentions(&msg, &[&format!("{}:1:", gz.0.display()), "not a text table", "U+001F"]);
    // Latin-1 text, not UTF-8, on line 1.
    let latin = Scratch::new("latin.csv", b"ann\xe9e,sunspots\n");
    let msg = read(&latin.0).unwrap_err().to_string();
    assert_mentions(&msg, &[&format!("{}:1:", latin.0.display()), "0xe9, which is not UTF-8"]);
    // A NUL byte on line 4 of otherwise valid text.
    let mut bytes = edited(4, Some("1702,1\u{0}6")).into_bytes();
    bytes.extend([0xff, 0xfe]);
    let nul = Scratch::new("nul.csv", &bytes);
    let msg = read(&nul.0).unwrap_err().to_string();
    assert_mentions(&msg, &[&format!("{}:4:", nul.0.display()), "not a text table", "NUL"]);
    // Invalid UTF-8 further down.
    let mut bytes = TABLE.as_bytes()[..TABLE.find("1710").unwrap()].to_vec();
    bytes.extend([0xc3, 0x28, b'\n']);
    let late = Scratch::new("late.csv", &bytes);
    let msg = read(&late.0).unwrap_err().to_string();
    assert_mentions(&msg, &[&format!("{}:12:", late.0.display()), "not UTF-8"]);
}

#[test]
fn read_reads_a_user_file_and_names_a_missing_one() {
    let good = Scratch::new("good.csv", TABLE.replace('\n', "\r\n").as_bytes());
    assert_eq!(read(&good.0).unwrap(), sunspots::builtin());
    let missing = std::env::temp_dir().join("actbench-sunspots-does-not-exist.csv");
    let e = read(&missing).unwrap_err();
    assert!(matches!(e, SunspotError::Io { .. }));
    assert_mentions(&e.to_string(), &[&missing.display().to_string(), "cannot read"]);
}

/// The `sunspots` dataset kind: the classic split as training data, scaled by the training
/// targets, the two test periods named, the ARV as the error against the series' variance, and
/// the AR(12) baseline scored exactly as `fit_ar` and `arv` score it.
#[test]
fn the_dataset_kind_is_the_classic_task_with_its_baseline() {
    use actbench_data::{DatasetConfig, DatasetKind, InputShape, Targets, Task};
    let d = DatasetConfig::new(DatasetKind::Sunspots).load(7).unwrap();
    assert_eq!((d.train.len(), d.test.len()), (209, 59));
    assert_eq!(d.input, InputShape::Sequence { steps: 12, features: 1 });
    assert_eq!(d.task, Task::Regression { outputs: 1 });
    let f = d.forecast.as_ref().unwrap();
    let periods: Vec<(&str, usize, usize)> =
        f.periods.iter().map(|p| (p.name.as_str(), p.start, p.len)).collect();
    assert_eq!(periods, [("1921-1955", 0, 35), ("1956-1979", 35, 24)]);
    // Scaled by the training targets: mean 0, variance 1 over the training targets.
    let Targets::Values { values, .. } = &d.train.targets else { panic!("regression") };
    let mean = values.iter().map(|&v| v as f64).sum::<f64>() / 209.0;
    let var = values.iter().map(|&v| (v as f64 - mean).powi(2)).sum::<f64>() / 209.0;
    assert!(mean.abs() < 1e-5 && (var - 1.0).abs() < 1e-5, "{mean} {var}");
    // The last input of the first test window is 1920, its target 1921 (scaled alike).
    let series = builtin();
    let split = classic_split(&series).unwrap();
    let scaler = split.scaler();
    let first = &split.test_1921_1955[0];
    assert_eq!(d.test.inputs[11], scaler.scale(first.inputs[11]) as f32);
    // The variance, in scaled units: the series' variance over the training targets' one.
    let expected = series_variance(&series) / (scaler.std() * scaler.std());
    assert!((f.variance - expected).abs() < 1e-12);
    let ar = fit_ar(&split.train);
    let v = series_variance(&series);
    let period = |w: &[actbench_data::sunspots::Window]| arv(&ar.predict_all(w), &targets(w), v);
    assert_eq!(f.baseline.test_periods["1921-1955"], period(&split.test_1921_1955));
    assert_eq!(f.baseline.test_periods["1956-1979"], period(&split.test_1956_1979));
    assert_eq!(f.baseline.train_metric, period(&split.train));
    assert!(f.baseline.test_periods["1921-1955"] < 0.5, "a linear AR(12) predicts well");
}

/// A user table reads through `file`; one that is short of the classic years is named.
#[test]
fn the_dataset_kind_reads_a_file_and_names_a_short_one() {
    use actbench_data::{DatasetConfig, DatasetKind};
    let dir = std::env::temp_dir().join(format!("actbench-sunspots-kind-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let full = dir.join("full.csv");
    std::fs::write(&full, TABLE).unwrap();
    let mut config = DatasetConfig::new(DatasetKind::Sunspots);
    config.file = Some(full.clone());
    let d = config.load(1).unwrap();
    assert!(d.source.contains("full.csv"), "{}", d.source);
    let short = dir.join("short.csv");
    let text: String = TABLE.lines().take(200).map(|l| format!("{l}\n")).collect();
    std::fs::write(&short, text).unwrap();
    config.file = Some(short.clone());
    let msg = config.load(1).unwrap_err().to_string();
    assert_mentions(&msg, &["short.csv", "1700", "1979"]);
    config.file = Some(dir.join("absent.csv"));
    let e = config.load(1).unwrap_err();
    assert!(e.is_missing_files() && e.to_string().contains("absent.csv"), "{e}");
    // The split and the scaling are the task's: neither can be changed.
    let mut other = DatasetConfig::new(DatasetKind::Sunspots);
    other.test_fraction = Some(0.3);
    assert!(other.validate().unwrap_err().to_string().contains("classic split"));
    let mut other = DatasetConfig::new(DatasetKind::Sunspots);
    other.limit = Some(10);
    assert!(other.validate().unwrap_err().to_string().contains("`limit`"));
    std::fs::remove_dir_all(&dir).ok();
}
