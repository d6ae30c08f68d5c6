//! Facts about container images: registries, aliases, non-root and Windows images.
