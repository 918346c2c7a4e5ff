//! The registry: every activation actbench knows, generated from the list in
//! `src/activation/mod.rs` by the `registry!` macro.

use crate::error::ActivationError;
use crate::info::ActivationInfo;

/// Generates, from one line per activation (`file::Type`):
/// - `mod file;` for each activation file,
/// - the [`Activation`](crate::Activation) enum, a burn Module with one variant per activation,
/// - [`REGISTRY`](crate::REGISTRY), the static list of [`ActivationInfo`],
/// - [`ActivationConfig::init`](crate::ActivationConfig::init).
macro_rules! registry {
    ($($file:ident :: $module:ident),+ $(,)?) => {
        $(pub mod $file;)+

        /// Any registered activation, as a burn Module. Built by [`ActivationConfig::init`].
        #[derive(burn::module::Module, Debug)]
        pub enum Activation {
            $(
                #[allow(missing_docs)]
                $module($file::$module),
            )+
            /// A formula activation from a config.
            Formula(crate::formula::FormulaActivation),
        }

        /// Every registered activation, in the order tables list them.
        pub static REGISTRY: &[ActivationInfo] = &[$(<$file::$module as ActivationModule>::INFO),+];

        impl Activation {
            /// Applies the activation element-wise.
            pub fn forward<const D: usize>(&self, x: Tensor<D>) -> Tensor<D> {
                match self {
                    $(Activation::$module(m) => m.forward(x),)+
                    Activation::Formula(m) => m.forward(x),
                }
            }

            /// Registry entry of this activation.
            pub fn info(&self) -> &'static ActivationInfo {
                match self {
                    $(Activation::$module(_) => &<$file::$module as ActivationModule>::INFO,)+
                    Activation::Formula(m) => m.info(),
                }
            }

            /// Its one-pass element kernel, if it has one ([`ActivationModule::kernel`]).
            pub fn kernel(&self) -> Option<crate::fused::Kernel> {
                match self {
                    $(Activation::$module(m) => m.kernel(),)+
                    Activation::Formula(_) => None,
                }
            }

            /// Current values of its trained parameters (empty for most activations).
            pub fn learned(&self) -> Vec<(&'static str, f64)> {
                match self {
                    $(Activation::$module(m) => m.learned(),)+
                    Activation::Formula(m) => m.learned(),
                }
            }
        }

        impl ActivationConfig {
            /// Builds the activation module on `device`.
            pub fn init(&self, device: &Device) -> Activation {
                if let Some(formula) = self.formula() {
                    let values: Vec<f64> = self.info().params.iter().map(|p| self.number(p.name)).collect();
                    return Activation::Formula(crate::formula::FormulaActivation::new(formula, &values, device));
                }
                $(
                    if self.name() == <$file::$module as ActivationModule>::INFO.name {
                        return Activation::$module(<$file::$module as ActivationModule>::init(self, device));
                    }
                )+
                unreachable!("a validated config names a registered activation")
            }
        }
    };
}
pub(crate) use registry;

/// The registry entry called `name`, or an error listing every valid name.
pub fn info(name: &str) -> Result<&'static ActivationInfo, ActivationError> {
    let registry = crate::REGISTRY;
    registry.iter().find(|info| info.name == name).ok_or_else(|| {
        ActivationError::UnknownActivation {
            name: name.to_string(),
            suggestion: closest(name, registry.iter().map(|i| i.name))
                .map(|n| format!(" (did you mean `{n}`?)"))
                .unwrap_or_default(),
            valid: names().join(", "),
        }
    })
}

/// Every registered name, in table order.
pub fn names() -> Vec<&'static str> {
    crate::REGISTRY.iter().map(|i| i.name).collect()
}

/// The candidate nearest to `name` by edit distance, if it is near enough to be a typo.
pub fn closest<'a>(name: &str, candidates: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    let name = name.to_lowercase().replace('_', "-");
    candidates
        .map(|c| (edit_distance(&name, c), c))
        .filter(|(d, c)| *d <= 2.max(c.len() / 3))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut previous = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitute = previous + usize::from(ca != *cb);
            previous = row[j + 1];
            row[j + 1] = substitute.min(row[j] + 1).min(previous + 1);
        }
    }
    row[b.len()]
}
