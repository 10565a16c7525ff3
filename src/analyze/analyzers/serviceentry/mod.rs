//! Checks of ServiceEntries: addresses for opaque TCP ports, and protocol conflicts between
//! entries for the same host and port.

mod conflicting_protocol;
mod protocol_addresses;

pub use conflicting_protocol::ConflictingServiceEntryProtocolAnalyzer;
pub use protocol_addresses::ProtocolAddressesAnalyzer;

use crate::analyze::Analyzer;

pub static ANALYZERS: &[&dyn Analyzer] = &[
    &ProtocolAddressesAnalyzer,
    &ConflictingServiceEntryProtocolAnalyzer,
];
