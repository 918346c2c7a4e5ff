//! Property tests (proptest) of the IDX reader: arbitrary and mutated files give a value or an
//! error naming the file, never a panic, and never a buffer larger than the file allows.

use std::path::Path;

use actbench_data::idx;
use proptest::prelude::*;

fn valid(n: u32, rows: u32, cols: u32) -> Vec<u8> {
    let mut out = vec![0, 0, 8, 3];
    for d in [n, rows, cols] {
        out.extend_from_slice(&d.to_be_bytes());
    }
    out.extend((0..n * rows * cols).map(|i| (i % 251) as u8));
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..256)) {
        if let Err(e) = idx::parse(Path::new("fuzz.idx"), &bytes) {
            prop_assert!(e.to_string().starts_with("fuzz.idx: "));
        }
    }

    #[test]
    fn mutated_valid_files_never_panic(
        n in 1u32..5, rows in 1u32..5, cols in 1u32..5,
        edits in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 0..6),
        cut in any::<prop::sample::Index>(),
        truncate in any::<bool>(),
    ) {
        let mut bytes = valid(n, rows, cols);
        for (at, value) in edits {
            let i = at.index(bytes.len());
            bytes[i] = value;
        }
        if truncate {
            bytes.truncate(cut.index(bytes.len()));
        }
        if let Ok(array) = idx::parse(Path::new("fuzz.idx"), &bytes) {
            let expected: usize = array.dims.iter().product();
            prop_assert_eq!(array.data.len(), expected);
            prop_assert!(array.data.len() <= bytes.len());
        }
    }
}
