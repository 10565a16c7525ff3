//! Report formatters.
