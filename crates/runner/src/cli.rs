//! The command line, as clap types. Parsing only: validation happens in the commands.

use clap::{Parser, Subcommand, ValueEnum};

use std::path::PathBuf;

use actbench::report::format::Format;

/// Which activation function should I use here? actbench trains every model x activation
/// combination, measures what happens, and checks the activation-choice guidelines.
#[derive(Debug, Parser)]
#[command(
    name = "actbench",
    version,
    about,
    after_help = "\
Examples:
  actbench run configs/quick.toml
  actbench run configs/default.toml --backend flex,wgpu --out results/mine
  actbench report results/quick --format markdown
  actbench list activations
  actbench curves --activation mish,swish --from -5 --to 5 --points 201
  actbench curves --activation leaky-relu:0.1 --format json --backend wgpu"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// List what this build knows: activations or backends.
    #[command(
        after_help = "Examples:\n  actbench list activations\n  actbench list activations --config configs/try-activation.toml\n  actbench list backends"
    )]
    List {
        /// What to list.
        what: ListWhat,
        /// Also list the formula activations of this config (checked as `run` checks them).
        #[arg(long, value_name = "CONFIG")]
        config: Option<PathBuf>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// Print x, f(x) and f'(x) (from autodiff) for one or more activations.
    #[command(after_help = "\
Activations are registry names, optionally with parameters in declaration order or by name:
  relu   leaky-relu:0.1   elu:alpha=0.5   swish:beta=1.5:learnable=true

Examples:
  actbench curves --activation mish,swish --from -5 --to 5 --points 201
  actbench curves --activation selu --format csv --dtype f64
  actbench curves --activation all --points 11 --format json")]
    Curves(CurvesArgs),
    /// Train every cell of a benchmark matrix and print the comparison tables.
    #[command(after_help = "\
Results: one JSON record per cell under --out (default results/<name>/), written atomically;
`--resume` skips cells already there. Exit code 2 for bad configs, flags or data files.

Examples:
  actbench run configs/quick.toml
  actbench run configs/quick.toml --dry-run
  actbench run configs/default.toml --backend ndarray --out results/nd
  actbench run configs/default.toml --resume
  actbench run configs/default.toml --shard 2/4      # one of 4 machines")]
    Run(RunArgs),
    /// Combine the results directories of a run's shards into one.
    #[command(
        after_help = "Examples:\n  actbench merge results/default/shard-* --out results/default\n\nRefuses directories from different configs and cells present twice."
    )]
    Merge {
        /// Shard results directories.
        #[arg(required = true)]
        dirs: Vec<PathBuf>,
        /// Merged results directory (must hold no results yet).
        #[arg(long)]
        out: PathBuf,
        /// Format of the tables printed at the end.
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// Print the verdict of every activation guideline (G01 to G18) on a results directory
    /// (never trains).
    #[command(after_help = "\
Each guideline of the catalogue is judged from the runs tagged with its id (configs/guidelines.toml)
and the run's activation micro-benchmark: holds, fails or inconclusive, with the numbers and the
thresholds used.

G10, G11 and G17 also read the published experiments of configs/reproductions.toml: name both
results directories to judge every guideline on both runs.

Examples:
  actbench guidelines results/reference/guidelines results/reference/reproductions
  actbench guidelines results/guidelines --format markdown > verdicts.md
  actbench guidelines results/guidelines --format json
  actbench guidelines results/guidelines --split-half")]
    Guidelines {
        /// Results directories written by `actbench run` (judged together).
        #[arg(required = true)]
        dirs: Vec<PathBuf>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
        /// Stability check: judge the odd and the even seeds separately and show where the
        /// halves disagree with each other or with the full run.
        #[arg(long)]
        split_half: bool,
    },
    /// Compare two activations of a run, paired by seed, over every setting where both ran:
    /// difference, 95% CI, effect size, and holds / fails / inconclusive (never trains).
    #[command(after_help = "\
Examples:
  actbench compare results/try-activation sq-swish swish
  actbench compare results/default mish relu --experiment images-cnn --format markdown
  actbench compare results/default relu tanh --metric epochs --format json")]
    Compare(CompareArgs),
    /// Set published results beside ours: per reproduced experiment, the source's setup and
    /// numbers, ours with 95% intervals, and agrees / differs / inconclusive (never trains).
    #[command(after_help = "\
Experiments name the published experiment they reproduce (`reproduces = { source = .. }`, see
configs/reproductions.toml). A published single run agrees when it lies in our 95% range for one
run (prediction interval) widened by the row's tolerance; a published fixed point agrees when our
95% CI of the mean lies within the tolerance of it. Sources: two-circles, swish-depth, mish-depth,
selu-fixed-point.

Examples:
  actbench reproduce results/reference/reproductions
  actbench reproduce results/reproductions --format markdown
  actbench reproduce results/reproductions --format json")]
    Reproduce {
        /// Results directories written by `actbench run` (read together).
        #[arg(required = true)]
        dirs: Vec<PathBuf>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// Draw a run's figures (DIR/plots/*.svg, *.png) and write DIR/report.html and DIR/report.md
    /// (never trains).
    #[command(
        after_help = "Examples:\n  actbench plot results/default\n  xdg-open results/default/report.html"
    )]
    Plot {
        /// Results directory written by `actbench run`.
        dir: PathBuf,
    },
    /// Benchmarks: activation kernels, or training throughput.
    #[command(subcommand)]
    Bench(BenchCommand),
    /// Re-render the tables of a results directory (never trains).
    #[command(
        after_help = "Examples:\n  actbench report results/quick\n  actbench report results/quick --format markdown > report.md"
    )]
    Report {
        /// Results directory written by `actbench run`.
        dir: PathBuf,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
}

#[derive(Debug, Subcommand)]
pub enum BenchCommand {
    /// Forward and forward+backward time of each activation on one float32 tensor, next to a
    /// plain copy (the memory-bandwidth reference).
    #[command(after_help = "\
Each repeat is synchronised with the device; 2 warm-up repeats are not timed; all repeats are kept
(median, min, max; no outliers removed). GB/s assumes a fused kernel's traffic: 8 bytes per element
forward, 20 forward+backward.

Examples:
  actbench bench activations
  actbench bench activations --backend flex,ndarray --elements 16777216 --repeats 10
  actbench bench activations --activation relu,swish,mish,selu --format json")]
    Activations(BenchActivationsArgs),
    /// Training throughput (samples/s) of each model x activation cell of a config, per backend.
    #[command(after_help = "\
One seed per cell. Each step (forward, loss, backward, optimizer update, device sync) is timed;
warm-up steps are not; building the batch tensors is outside the timer. All steps are kept (median,
min, max; no outliers removed); samples/s = batch size / median step time.

Examples:
  actbench bench train --config configs/quick.toml
  actbench bench train --config configs/guidelines.toml --backend flex,ndarray --steps 50
  actbench bench train --config configs/quick.toml --format json > throughput.json")]
    Train(BenchTrainArgs),
}

#[derive(Debug, Clone, clap::Args)]
pub struct BenchTrainArgs {
    /// Benchmark config (TOML), e.g. configs/quick.toml.
    #[arg(long)]
    pub config: PathBuf,
    /// Comma-separated backends, overriding the config's.
    #[arg(long, value_delimiter = ',')]
    pub backend: Option<Vec<String>>,
    /// Apply the config's `[profile.NAME]` (its seeds and epochs do not matter here).
    #[arg(long)]
    pub profile: Option<String>,
    /// Directory of IDX files (e.g. Fashion-MNIST) for every `idx` dataset, overriding `dir`.
    #[arg(long, value_name = "DIR")]
    pub idx_dir: Option<PathBuf>,
    /// Timed training steps per cell.
    #[arg(long, default_value_t = 20)]
    pub steps: usize,
    /// Untimed training steps per cell before timing.
    #[arg(long, default_value_t = 3)]
    pub warmup: usize,
    /// burn's kernel fusion on the GPU backends (wgpu, cuda): `both` times each GPU cell with
    /// fusion on and again with it off, in a second process (burn reads the setting once per
    /// process); `on` or `off` one of them. CPU cells are timed once either way.
    #[arg(long, value_enum, default_value_t = FusionChoice::Both)]
    pub fusion: FusionChoice,
    /// Time only the cells on GPU backends (used by the second process of `--fusion both`).
    #[arg(long, hide = true)]
    pub gpu_only: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

/// `bench train --fusion`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FusionChoice {
    /// Fusion on and off, side by side.
    Both,
    /// As built (the `fusion` feature, on by default).
    On,
    /// Every operation its own kernel.
    Off,
}

#[derive(Debug, clap::Args)]
pub struct BenchActivationsArgs {
    /// Comma-separated activations (`formula:...` for a formula; commas inside parentheses
    /// belong to it), or `all`.
    #[arg(long, short, default_value = "relu,leaky-relu,sigmoid,tanh,elu,selu,gelu,swish,mish")]
    pub activation: Vec<String>,
    /// Comma-separated backends.
    #[arg(long, value_delimiter = ',', default_value = "flex")]
    pub backend: Vec<String>,
    /// Tensor elements (float32).
    #[arg(long, default_value_t = 1 << 24)]
    pub elements: usize,
    /// Reference operations timed besides `copy` (always timed): `burn-mish`, burn's built-in
    /// mish (a chain of tensor operations under autodiff), to compare with our fused mish.
    #[arg(long, value_delimiter = ',', value_enum)]
    pub reference: Vec<actbench::speed::activations::Reference>,
    /// Timed repeats per activation and mode.
    #[arg(long, default_value_t = 10)]
    pub repeats: usize,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

#[derive(Debug, clap::Args)]
pub struct CompareArgs {
    /// Results directory written by `actbench run` (or `merge`).
    pub dir: PathBuf,
    /// Activation A, by its label in the results (`sq-swish`, `leaky-relu:slope=0.1`).
    pub a: String,
    /// Activation B.
    pub b: String,
    /// Only this experiment.
    #[arg(long)]
    pub experiment: Option<String>,
    /// What to compare.
    #[arg(long, value_enum, default_value_t = actbench::compare::Metric::Final)]
    pub metric: actbench::compare::Metric,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

#[derive(Debug, clap::Args)]
pub struct RunArgs {
    /// Benchmark config (TOML), e.g. configs/quick.toml.
    pub config: PathBuf,
    /// Results directory (default: results/<config name>/).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Comma-separated backends, overriding the config's.
    #[arg(long, value_delimiter = ',')]
    pub backend: Option<Vec<String>>,
    /// Continue a run: skip cells whose results are already in --out.
    #[arg(long)]
    pub resume: bool,
    /// Run only shard I of N (1-based): a deterministic, balanced part of the cells. Default
    /// --out: results/<name>/shard-I-of-N/. Combine shards with `actbench merge`.
    #[arg(long, value_name = "I/N")]
    pub shard: Option<actbench::plan::Shard>,
    /// Seeds for every experiment, overriding the config's (and the profile's): `1-12`,
    /// `1,2,5`, `1-3,7`. With --resume, adds just the missing seeds to an existing run.
    #[arg(long, value_name = "LIST")]
    pub seeds: Option<actbench::plan::SeedList>,
    /// Cells to train side by side (default: the number of cores), the backend's threads
    /// divided among them. `--jobs 1` trains one cell at a time with every thread (for timings).
    #[arg(long, value_name = "N")]
    pub jobs: Option<usize>,
    /// Print the planned cells and exit without training (`--format json`: the cells as JSON).
    #[arg(long)]
    pub dry_run: bool,
    /// Apply the config's `[profile.NAME]` (e.g. `quick`: fewer seeds and epochs). Default
    /// --out: results/<name>-<profile>/.
    #[arg(long)]
    pub profile: Option<String>,
    /// Do not draw the figures and report pages at the end (`actbench plot DIR` does it later).
    #[arg(long)]
    pub no_plots: bool,
    /// Directory of IDX files (e.g. Fashion-MNIST) for every `idx` dataset, overriding `dir`.
    #[arg(long, value_name = "DIR")]
    pub idx_dir: Option<PathBuf>,
    /// Format of the tables printed at the end.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ListWhat {
    /// Every registered activation (name, formula, family, properties, parameters), then the
    /// gated ones (`swiglu`, `glu:GATE`).
    Activations,
    /// Every backend and whether this build has it.
    Backends,
}

#[derive(Debug, clap::Args)]
pub struct CurvesArgs {
    /// Comma-separated activations (`formula:...` for a formula; commas inside parentheses
    /// belong to it), or `all`.
    #[arg(long, short, default_value = "all")]
    pub activation: Vec<String>,
    /// First x.
    #[arg(long, default_value_t = -5.0, allow_negative_numbers = true)]
    pub from: f64,
    /// Last x.
    #[arg(long, default_value_t = 5.0, allow_negative_numbers = true)]
    pub to: f64,
    /// Number of evenly spaced points, ends included.
    #[arg(long, default_value_t = 201)]
    pub points: usize,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Backend that computes the values.
    #[arg(long, default_value = "flex")]
    pub backend: String,
    /// Floating-point precision.
    #[arg(long, value_enum, default_value_t = Precision::F32)]
    pub dtype: Precision,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Precision {
    F32,
    F64,
}
