//! Which burn backend runs the tensors, chosen at run time, each behind a Cargo feature.

use std::fmt;
use std::str::FromStr;

use burn::prelude::*;
use serde::{Deserialize, Serialize};
use thiserror::Error;

/// A burn backend actbench can run on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Backend {
    /// burn-flex: pure-Rust CPU backend (burn's recommended one).
    Flex,
    /// burn-ndarray: CPU backend (deprecated in burn, kept because users ask for it).
    Ndarray,
    /// burn-wgpu: GPU through Vulkan/Metal/DX12; Mesa's lavapipe runs it on a CPU.
    Wgpu,
    /// burn-cuda: NVIDIA GPUs.
    Cuda,
}

/// The backend asked for cannot be used.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum BackendError {
    /// Not compiled into this binary.
    #[error(
        "backend `{backend}` is not compiled into this build; rebuild with `--features {feature}` (compiled backends: {compiled})"
    )]
    NotCompiled {
        /// The backend asked for.
        backend: Backend,
        /// The cargo feature that compiles it in.
        feature: &'static str,
        /// The backends this build has.
        compiled: String,
    },
    /// Compiled in, but no device could be started.
    #[error("backend `{backend}` is compiled in but no device could be started: {reason}")]
    NoDevice {
        /// The backend asked for.
        backend: Backend,
        /// Why no device started.
        reason: String,
    },
    /// Not a backend name.
    #[error("unknown backend `{0}`; valid backends: flex, ndarray, wgpu, cuda")]
    Unknown(String),
}

impl Backend {
    /// All backends, compiled or not.
    pub const ALL: [Backend; 4] = [Backend::Flex, Backend::Ndarray, Backend::Wgpu, Backend::Cuda];

    /// Lower-case name, as on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Backend::Flex => "flex",
            Backend::Ndarray => "ndarray",
            Backend::Wgpu => "wgpu",
            Backend::Cuda => "cuda",
        }
    }

    /// The Cargo feature that compiles it in.
    pub fn feature(self) -> &'static str {
        self.name()
    }

    /// Whether this build has it.
    pub fn is_compiled(self) -> bool {
        match self {
            Backend::Flex => cfg!(feature = "flex"),
            Backend::Ndarray => cfg!(feature = "ndarray"),
            Backend::Wgpu => cfg!(feature = "wgpu"),
            Backend::Cuda => cfg!(feature = "cuda"),
        }
    }

    /// The backends this build has.
    pub fn compiled() -> Vec<Backend> {
        Self::ALL.into_iter().filter(|b| b.is_compiled()).collect()
    }

    /// Whether it runs on a GPU through CubeCL (wgpu, cuda): lazily, in kernels it launches.
    pub fn is_gpu(self) -> bool {
        matches!(self, Backend::Wgpu | Backend::Cuda)
    }

    /// Whether it computes in float64 (WGSL has no f64; CUDA does, but we test it in f32 only).
    pub fn supports_f64(self) -> bool {
        matches!(self, Backend::Flex | Backend::Ndarray)
    }

    /// A started device (without autodiff; call `.autodiff()` for training).
    pub fn device(self) -> Result<Device, BackendError> {
        let device = self.unchecked_device()?;
        // GPU backends find their adapter lazily and panic when there is none: try one tiny
        // operation now, so the user gets an error instead of a panic in the middle of a run.
        if self.is_gpu() {
            // The panic hook is left alone (tests run in parallel): a program that wants the
            // panic message silenced sets its own hook around this call.
            let probe = device.clone();
            let result = std::panic::catch_unwind(move || {
                Tensor::<1>::from_floats([1.0], &probe).into_data()
            });
            if let Err(panic) = result {
                let reason = panic
                    .downcast_ref::<String>()
                    .cloned()
                    .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                    .unwrap_or_else(|| "unknown failure".to_string());
                let hint = match self {
                    Backend::Wgpu => {
                        " (no GPU? install Mesa's CPU Vulkan driver: apt-get install mesa-vulkan-drivers)"
                    }
                    _ => " (is an NVIDIA GPU and its driver present?)",
                };
                return Err(BackendError::NoDevice {
                    backend: self,
                    reason: format!("{reason}{hint}"),
                });
            }
        }
        Ok(device)
    }

    #[allow(deprecated, unreachable_code)]
    fn unchecked_device(self) -> Result<Device, BackendError> {
        match self {
            #[cfg(feature = "flex")]
            Backend::Flex => return Ok(Device::flex()),
            #[cfg(feature = "ndarray")]
            Backend::Ndarray => return Ok(Device::ndarray()),
            #[cfg(feature = "wgpu")]
            Backend::Wgpu => return Ok(Device::wgpu(burn::tensor::DeviceKind::DefaultDevice)),
            #[cfg(feature = "cuda")]
            Backend::Cuda => return Ok(Device::cuda(0)),
            #[allow(unreachable_patterns)]
            _ => {}
        }
        let compiled: Vec<&str> = Self::compiled().iter().map(|b| b.name()).collect();
        Err(BackendError::NotCompiled {
            backend: self,
            feature: self.feature(),
            compiled: compiled.join(", "),
        })
    }
}

impl fmt::Display for Backend {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Backend {
    type Err = BackendError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|b| b.name() == s.trim().to_lowercase())
            .ok_or_else(|| BackendError::Unknown(s.to_string()))
    }
}
