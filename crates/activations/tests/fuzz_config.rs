//! Property tests (proptest) of activation-config parsing: any text gives a config or an error
//! that says what is valid, never a panic; every accepted config round-trips through its label
//! and through JSON.

use actbench_activations::{ActivationConfig, REGISTRY};
use proptest::prelude::*;

fn names() -> impl Strategy<Value = String> {
    prop::sample::select(REGISTRY.iter().map(|i| i.name.to_string()).collect::<Vec<_>>())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]

    #[test]
    fn arbitrary_text_never_panics(text in ".{0,40}") {
        if let Err(e) = text.parse::<ActivationConfig>() {
            let message = e.to_string();
            prop_assert!(message.contains("valid") || message.contains("must be") || message.contains("takes"), "{}", message);
        }
    }

    #[test]
    fn registry_names_with_arbitrary_parameters(name in names(), params in proptest::collection::vec("[a-z]{0,6}=?(-?[0-9]{0,3}(\\.[0-9]{0,3})?|true|false|nan|inf|[a-z]{0,4})", 0..4)) {
        let text = std::iter::once(name).chain(params).collect::<Vec<_>>().join(":");
        if let Ok(config) = text.parse::<ActivationConfig>() {
            prop_assert_eq!(&config.label().parse::<ActivationConfig>().unwrap(), &config);
            let json = serde_json::to_string(&config).unwrap();
            prop_assert_eq!(&serde_json::from_str::<ActivationConfig>(&json).unwrap(), &config);
        }
    }
}
