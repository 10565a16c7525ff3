//! Installing Istio: release data (charts and profiles), values and profile merge as istioctl
//! does, the chart renderer, and the post-processing and ordering istioctl applies.

pub mod addons;
pub mod apply;
pub mod helm;
pub mod iop;
pub mod patch;
pub mod precheck;
pub mod release;
pub mod render;
pub mod sample;
pub mod values_schema;
