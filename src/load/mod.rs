//! load: placeholder.
