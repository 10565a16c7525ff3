//! Host names as Istio resolves them: short names, FQDNs, wildcards and `exportTo` visibility.
