//! Helpers the unit tests of several modules share.

// burn 0.22 deprecates its ndarray backend; our users still run it.
#![allow(deprecated)]

use burn::prelude::*;

/// The CPU devices of this build (without autodiff), where our kernels run.
pub fn cpu_devices() -> Vec<Device> {
    let mut devices = vec![Device::flex()];
    #[cfg(feature = "ndarray")]
    devices.push(Device::ndarray());
    devices
}

/// The bits of every element, as float64, for exact comparisons.
pub fn bits<const D: usize>(t: Tensor<D>) -> Vec<u64> {
    t.into_data()
        .convert::<f64>()
        .try_to_vec::<f64>()
        .unwrap()
        .iter()
        .map(|v| v.to_bits())
        .collect()
}
