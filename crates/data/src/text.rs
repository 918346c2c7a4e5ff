//! A character corpus as a [`Dataset`] for a next-character language model.
//!
//! Each sample is one window of `context + 1` characters of a corpus part
//! ([`corpus::eval_windows`] spacing, so the windows cover the whole part evenly): the inputs are
//! the first `context` character ids, the targets the last `context` (each position's next
//! character). The training split holds `train_windows` windows of the training text (default:
//! one per `context` characters, so they tile it), the test split `test_windows` windows of the
//! validation text (default [`DEFAULT_TEST_WINDOWS`]). The same corpus and options give the
//! same windows on every machine; training visits them in a seeded order each epoch.
//!
//! Ids are stored as `f32` values (exact, a vocabulary is far below 2^24). The task is
//! [`Task::NextToken`]: scored in bits per character ([`corpus::bits_per_character`]).

use crate::corpus::{self, Corpus, CorpusError};
use crate::dataset::{Dataset, InputShape, Split, Targets, Task};

/// Validation windows when the config sets none.
pub const DEFAULT_TEST_WINDOWS: usize = 512;

/// The windows of `corpus` as a dataset; errors when a part is shorter than one window.
pub fn dataset(
    corpus: &Corpus,
    context: usize,
    train_windows: Option<usize>,
    test_windows: Option<usize>,
) -> Result<Dataset, CorpusError> {
    corpus.check_context(context)?;
    let train_tokens = corpus.train_tokens();
    let train_count = train_windows.unwrap_or(train_tokens.len() / context);
    let test_count = test_windows.unwrap_or(DEFAULT_TEST_WINDOWS);
    let split = |tokens: &[u32], count: usize| {
        let starts = corpus::eval_windows(tokens, context, count);
        let (inputs, targets) = corpus::gather_windows(tokens, &starts, context);
        Split {
            inputs: inputs.into_iter().map(|id| id as f32).collect(),
            targets: Targets::Values {
                values: targets.into_iter().map(|id| id as f32).collect(),
                width: context,
            },
        }
    };
    let train = split(train_tokens, train_count);
    let test = split(corpus.validation_tokens(), test_count);
    let vocab = corpus.vocabulary().size();
    Ok(Dataset {
        source: format!(
            "{} ({} training and {} validation windows of {context} characters, vocabulary {vocab})",
            corpus.source(),
            train.len(),
            test.len()
        ),
        task: Task::NextToken { vocab, context },
        input: InputShape::Tokens { context, vocab },
        train,
        test,
        forecast: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_tile_the_text_and_targets_are_the_next_characters() {
        let corpus = corpus::generated(3, 200);
        let data = dataset(&corpus, 16, None, Some(10)).unwrap();
        assert_eq!(data.task, Task::NextToken { vocab: corpus.vocabulary().size(), context: 16 });
        assert_eq!(data.train.len(), corpus.train_tokens().len() / 16);
        assert_eq!(data.test.len(), 10);
        let Targets::Values { values, width: 16 } = &data.train.targets else { panic!() };
        assert_eq!(&data.train.inputs[1..16], &values[0..15]);
        let first: Vec<f32> = corpus.train_tokens()[..16].iter().map(|&t| t as f32).collect();
        assert_eq!(&data.train.inputs[..16], &first[..]);
        assert_eq!(dataset(&corpus, 16, None, Some(10)).unwrap().train, data.train);
    }

    #[test]
    fn a_context_longer_than_a_part_is_an_error() {
        let corpus = corpus::generated(3, 20);
        let e = dataset(&corpus, 100_000, None, None).unwrap_err().to_string();
        assert!(e.contains("too few for one window"), "{e}");
    }
}
