//! Residual network with batch normalisation: the CIFAR ResNet of He, Zhang, Ren and Sun ("Deep
//! Residual Learning for Image Recognition", CVPR 2016, section 4.2), small and on our CPU
//! convolution path (3x3 same-padding convolutions with bias, 2x2 max-pooling).
//!
//! - stem: `h = f(BN(conv3x3(x)))` to `channels[0]` channels;
//! - stages, one per entry of `channels`, each of `blocks` basic blocks
//!   `y = f(skip(h) + BN(conv3x3(f(BN(conv3x3(h))))))`, where `skip` is the identity, or a 1x1
//!   convolution (with bias) in the block where the channels change;
//! - between stages, a 2x2 max-pooling halves the image (the paper's stride-2 convolution, on our
//!   pooling kernel);
//! - global average pooling and a linear output layer.
//!
//! `f` is the experiment's activation, one module per place it is used. Batch normalisation uses
//! the batch's statistics in training (on an autodiff device) and its running statistics in
//! evaluation (tested on every backend).

use actbench_activations::{Activation, ActivationConfig};
use actbench_data::InputShape;
use burn::nn::conv::Conv2d;
use burn::nn::pool::{MaxPool2d, MaxPool2dConfig};
use burn::nn::{BatchNorm, BatchNormConfig};
use burn::prelude::*;
use burn::tensor::Gradients;
use rand_chacha::ChaCha8Rng;

use crate::config::{InitScheme, ModelConfig};
use crate::dense::Dense;
use crate::init::conv_layer;
use crate::kernels;
use crate::stats::{GradStat, grad_stat};
use crate::trace::{LayerTrace, channel_units};

/// A residual network ([module docs](self)).
#[derive(Module, Debug)]
pub struct Resnet {
    stem: Conv2d,
    stem_norm: BatchNorm,
    stem_activation: Activation,
    blocks: Vec<BasicBlock>,
    /// Per block: 2x2 max-pooling before it (the first block of every stage after the first).
    pool_before: Vec<bool>,
    pool: MaxPool2d,
    output: Dense,
    /// Input layout `[channels, height, width]`.
    image: [usize; 3],
}

/// `y = f(skip(x) + BN(conv(f(BN(conv(x))))))`.
#[derive(Module, Debug)]
pub struct BasicBlock {
    conv1: Conv2d,
    norm1: BatchNorm,
    activation1: Activation,
    conv2: Conv2d,
    norm2: BatchNorm,
    /// 1x1 convolution on the skip path where the channels change.
    projection: Option<Conv2d>,
    activation2: Activation,
}

impl BasicBlock {
    /// A block from `c_in` to `c_out` channels.
    pub fn new(
        c_in: usize,
        c_out: usize,
        init: &InitScheme,
        activation: &ActivationConfig,
        rng: &mut ChaCha8Rng,
        device: &Device,
    ) -> Self {
        Self {
            conv1: conv_layer(c_in, c_out, 3, init, rng, device),
            norm1: BatchNormConfig::new(c_out).init(device),
            activation1: activation.init(device),
            conv2: conv_layer(c_out, c_out, 3, init, rng, device),
            norm2: BatchNormConfig::new(c_out).init(device),
            projection: (c_in != c_out).then(|| conv_layer(c_in, c_out, 1, init, rng, device)),
            activation2: activation.init(device),
        }
    }

    /// The block on `[batch, c_in, h, w]`; traces of both activations under `name.a`, `name.b`.
    pub fn forward(
        &self,
        x: Tensor<4>,
        name: &str,
        traces: Option<&mut Vec<LayerTrace>>,
    ) -> Tensor<4> {
        let z1 = kernels::batch_norm(&self.norm1, kernels::conv2d(&self.conv1, x.clone()));
        let a1 = self.activation1.forward(z1.clone());
        let branch = kernels::batch_norm(&self.norm2, kernels::conv2d(&self.conv2, a1.clone()));
        let skip = match &self.projection {
            Some(projection) => kernels::conv2d(projection, x),
            None => x,
        };
        let z2 = skip + branch;
        let a2 = self.activation2.forward(z2.clone());
        if let Some(traces) = traces {
            traces.push(LayerTrace::new(
                format!("{name}.a"),
                &self.activation1,
                channel_units(z1),
                channel_units(a1),
            ));
            traces.push(LayerTrace::new(
                format!("{name}.b"),
                &self.activation2,
                channel_units(z2),
                channel_units(a2.clone()),
            ));
        }
        a2
    }

    fn norms_mut(&mut self) -> impl Iterator<Item = &mut BatchNorm> {
        [&mut self.norm1, &mut self.norm2].into_iter()
    }
}

impl Resnet {
    /// Builds the network; `config` must be a ResNet config and `input` an image.
    pub fn new(
        config: &ModelConfig,
        input: InputShape,
        outputs: usize,
        activation: &ActivationConfig,
        rng: &mut ChaCha8Rng,
        device: &Device,
    ) -> Self {
        let ModelConfig::Resnet { channels, blocks, init } = config else {
            unreachable!("a ResNet config")
        };
        let InputShape::Image { channels: in_channels, height, width } = input else {
            unreachable!("validated: image input")
        };
        let stem = conv_layer(in_channels, channels[0], 3, init, rng, device);
        let (mut stack, mut pool_before) = (Vec::new(), Vec::new());
        let mut c_in = channels[0];
        for (stage, &c_out) in channels.iter().enumerate() {
            for b in 0..*blocks {
                stack.push(BasicBlock::new(c_in, c_out, init, activation, rng, device));
                pool_before.push(stage > 0 && b == 0);
                c_in = c_out;
            }
        }
        Self {
            stem,
            stem_norm: BatchNormConfig::new(channels[0]).init(device),
            stem_activation: activation.init(device),
            blocks: stack,
            pool_before,
            pool: MaxPool2dConfig::new([2, 2]).init(),
            output: Dense::new(c_in, outputs, init, None, rng, device),
            image: [in_channels, height, width],
        }
    }

    /// The batch-norm layers.
    pub(crate) fn norms_mut(&mut self) -> impl Iterator<Item = &mut BatchNorm> {
        std::iter::once(&mut self.stem_norm)
            .chain(self.blocks.iter_mut().flat_map(|b| b.norms_mut()))
    }

    /// Logits for flat images `[batch, channels * height * width]`.
    pub fn forward(&self, x: Tensor<2>, mut traces: Option<&mut Vec<LayerTrace>>) -> Tensor<2> {
        let [batch, _] = x.dims();
        let [c, h, w] = self.image;
        let z = kernels::conv2d(&self.stem, x.reshape([batch, c, h, w]));
        let z = kernels::batch_norm(&self.stem_norm, z);
        let mut x = self.stem_activation.forward(z.clone());
        if let Some(traces) = traces.as_deref_mut() {
            traces.push(LayerTrace::new(
                "stem".into(),
                &self.stem_activation,
                channel_units(z),
                channel_units(x.clone()),
            ));
        }
        for (i, (block, pool)) in self.blocks.iter().zip(&self.pool_before).enumerate() {
            if *pool {
                x = kernels::max_pool2x2(&self.pool, x);
            }
            x = block.forward(x, &format!("block{i}"), traces.as_deref_mut());
        }
        let [batch, c, _, _] = x.dims();
        let pooled = x.mean_dim(3).mean_dim(2).reshape([batch, c]);
        self.output.forward(pooled)
    }

    /// Gradient statistics per layer: stem, each block's two convolutions (and projection),
    /// output layer.
    pub fn gradient_stats(&self, grads: &Gradients) -> Vec<GradStat> {
        let mut stats = vec![grad_stat("stem".into(), &self.stem.weight, grads)];
        for (i, block) in self.blocks.iter().enumerate() {
            stats.push(grad_stat(format!("block{i}.a"), &block.conv1.weight, grads));
            stats.push(grad_stat(format!("block{i}.b"), &block.conv2.weight, grads));
            if let Some(projection) = &block.projection {
                stats.push(grad_stat(format!("block{i}.skip"), &projection.weight, grads));
            }
        }
        stats.push(grad_stat("output".into(), &self.output.weight, grads));
        stats
    }

    /// The activation modules, by layer.
    pub fn activations(&self) -> Vec<(String, &Activation)> {
        let mut all = vec![("stem".to_string(), &self.stem_activation)];
        for (i, block) in self.blocks.iter().enumerate() {
            all.push((format!("block{i}.a"), &block.activation1));
            all.push((format!("block{i}.b"), &block.activation2));
        }
        all
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::init::param;
    use crate::testing::cpu_devices;
    use burn::tensor::{TensorData, Tolerance};

    /// A block whose branch has zero weights is the activation of its input: the branch's batch
    /// norm maps the constant 0 to its shift, 0 at initialisation.
    #[test]
    fn a_block_with_a_zero_branch_is_the_activation_of_its_input() {
        for device in cpu_devices() {
            let device = device.autodiff();
            for name in ["relu", "tanh", "mish", "selu"] {
                let activation: ActivationConfig = name.parse().unwrap();
                let mut rng = actbench_data::rng::seeded(1, 10);
                let mut block =
                    BasicBlock::new(4, 4, &InitScheme::HeUniform, &activation, &mut rng, &device);
                block.conv2.weight = param(vec![0.0; 4 * 4 * 9], [4, 4, 3, 3], &device);
                block.conv2.bias = Some(param(vec![0.0; 4], [4], &device));
                let values: Vec<f32> =
                    (0..200).map(|i| ((i * 7919 % 1000) as f32 / 250.0) - 2.0).collect();
                let x = Tensor::<4>::from_data(TensorData::new(values, [2, 4, 5, 5]), &device);
                let y = block.forward(x.clone(), "block0", None);
                let want = activation.init(&device).forward(x);
                y.into_data().assert_approx_eq::<f32>(&want.into_data(), Tolerance::absolute(1e-6));
            }
        }
    }
}
