//! The TLS set-up every HTTPS client of the program shares (the API server, URLs, AWS, release
//! downloads): rustls with the ring provider, installed once per process.

/// Installs the ring crypto provider for rustls; later calls do nothing.
pub fn init() {
    let _ = rustls::crypto::ring::default_provider().install_default();
}
