//! Contract-test helpers.
