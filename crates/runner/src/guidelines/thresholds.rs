//! Every threshold a verdict uses, in one place. They are the catalogue's starting points
//! (`shared/guidelines.md`); each verdict prints the ones it used. Change one only with a reason
//! in the commit message.

/// Welch's t-test significance level.
pub const SIGNIFICANCE: f64 = 0.05;
/// Runs per group from which the t-test is used (fewer: every run must agree).
pub const MIN_SEEDS_FOR_TEST: usize = 3;

/// G01: identity may be at most this far (accuracy, 0..1) from the logistic-regression baseline.
pub const G01_IDENTITY_NEAR_LINEAR: f64 = 0.05;
/// G01: every standard nonlinearity must beat identity by at least this much accuracy.
pub const G01_NONLINEAR_MARGIN: f64 = 0.20;

/// G02: sigmoid's first/last gradient ratio must be this many times smaller than ReLU's.
pub const G02_RATIO_FACTOR: f64 = 100.0;
/// G02: the depth at which the ratio is compared.
pub const G02_DEPTH: usize = 20;
/// G02: the claimed maximum of the sigmoid derivative, and the tolerance of the numerical check.
pub const G02_SIGMOID_MAX_SLOPE: f64 = 0.25;
pub const G02_SLOPE_TOLERANCE: f64 = 1e-6;

/// G03, G08: a mean hidden activation within this distance of its expected centre is "near".
pub const MEAN_ACTIVATION_TOLERANCE: f64 = 0.15;

/// G05: ReLU's dead fraction must exceed this to be "clearly above zero".
pub const G05_DEAD_MIN: f64 = 0.05;
/// G06: LeakyReLU's dead fraction must stay below this to be "about zero".
pub const G06_DEAD_MAX: f64 = 0.01;

/// G07: PReLU's slope must move at least this far from its initial value (mean over layers).
pub const G07_ALPHA_MOVE: f64 = 0.02;

/// G09: SELU's mean must stay within +-this at the checked depth...
pub const G09_MEAN_BOUND: f64 = 0.1;
/// ...and its variance within this range.
pub const G09_VARIANCE_RANGE: (f64, f64) = (0.8, 1.2);
/// G09: the depth at which the statistics are checked.
pub const G09_DEPTH: usize = 32;

/// G10: the depth from which Swish is claimed to win.
pub const G10_DEEP: usize = 40;

/// G17: "clearly above chance" on a balanced binary task means at least this accuracy.
pub const G17_ABOVE_CHANCE: f64 = 0.6;
