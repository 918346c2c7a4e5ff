//! Every number a verdict depends on, in one place: the engine's levels, the minimal difference
//! that matters (delta) for each metric, and the catalogue's own thresholds
//! (`docs/guidelines.md`). Each verdict prints the ones it used. Change one only with a reason
//! in the commit message.

/// Level of every decision (two-sided scale; Holm-corrected within a guideline).
pub const ALPHA: f64 = 0.05;
/// Fewer seed pairs than this never decide a part, however clear they look.
pub const MIN_PAIRS: usize = 3;
/// Seeds-needed estimates stop here ("not decidable by more seeds at this effect").
pub const MAX_SEEDS_NEEDED: usize = 1000;

/// Minimal difference that matters, per metric.
/// Accuracy, exact match, F1 (0..1): one point.
pub const DELTA_ACCURACY: f64 = 0.01;
/// Bits per character (a language model's test loss): a hundredth of a bit, about 0.5% of the
/// 2 bits per character of a small character model (Shazeer 2020's gated-vs-ReLU gaps are 2-3%).
pub const DELTA_BITS_PER_CHARACTER: f64 = 0.01;
/// MSE, compared as log10 (scale-free): 0.05 is a 12% difference.
pub const DELTA_LOG10_MSE: f64 = 0.05;
/// Epochs to a target (whole epochs: any difference of one epoch counts).
pub const DELTA_EPOCHS: f64 = 0.5;
/// Dead-unit fraction: two points.
pub const DELTA_DEAD_FRACTION: f64 = 0.02;
/// |Mean hidden activation|.
pub const DELTA_MEAN_ACTIVATION: f64 = 0.05;
/// log10 of gradient magnitudes: a factor of 2.
pub const DELTA_LOG10_GRADIENT: f64 = 0.3;
/// Activation cost, compared as ln(time): 5%.
pub const DELTA_LN_COST: f64 = 0.05;

/// G01: identity at depth 5 equivalent to the logistic-regression baseline within this
/// (accuracy).
pub const G01_IDENTITY_NEAR_LINEAR: f64 = 0.03;
/// G01: at depth 2 every standard nonlinearity beats identity by at least this much accuracy.
pub const G01_NONLINEAR_MARGIN: f64 = 0.20;
/// G01: the depth at which the nonlinearities must beat identity.
pub const G01_SHALLOW_DEPTH: usize = 2;

/// G02: sigmoid's first/last gradient ratio must be this many times smaller than ReLU's.
pub const G02_RATIO_FACTOR: f64 = 100.0;
/// G02: the depth at which the ratio is compared.
pub const G02_DEPTH: usize = 20;
/// G02: the claimed maximum of the sigmoid derivative, and the tolerance of the numerical check.
pub const G02_SIGMOID_MAX_SLOPE: f64 = 0.25;
/// G02: how far the numerical maximum may be from the claimed one.
pub const G02_SLOPE_TOLERANCE: f64 = 1e-6;

/// G03: a mean hidden activation within this distance of its expected centre is "near".
pub const G03_MEAN_TOLERANCE: f64 = 0.15;

/// G05: ReLU's dead fraction must exceed this to be "clearly above zero".
pub const G05_DEAD_MIN: f64 = 0.05;
/// G06: LeakyReLU's dead fraction must stay below this to be "about zero".
pub const G06_DEAD_MAX: f64 = 0.01;

/// G07: PReLU's slope must move at least this far from its initial value (mean over layers).
pub const G07_ALPHA_MOVE: f64 = 0.02;

/// G09: SELU's mean must stay within +-this at the checked depth...
pub const G09_MEAN_BOUND: f64 = 0.1;
/// ...and its variance within this range (ReLU's and tanh's must leave it).
pub const G09_VARIANCE_RANGE: (f64, f64) = (0.8, 1.2);
/// G09: the depth at which the statistics are checked.
pub const G09_DEPTH: usize = 32;

/// G10: the depth from which Swish is claimed to win.
pub const G10_DEEP: usize = 40;

/// G17: "clearly above chance" on a balanced binary task means at least this accuracy, and a
/// seed "learns" when it reaches it.
pub const G17_ABOVE_CHANCE: f64 = 0.6;

/// G11, G12: a benchmarked tensor of at most this many float32 elements stays in cache, so its
/// time measures compute (the decisive cost); larger ones measure memory bandwidth.
pub const COMPUTE_BOUND_MAX_ELEMENTS: usize = 1 << 16;
