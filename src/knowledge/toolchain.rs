//! Which distribution packages are a build toolchain: compilers, build tools and development
//! headers, which an image needs to build software but not to run it.

/// Compilers and build tools, by the names Debian, Alpine and the RPM distributions give them.
const TOOLS: &[&str] = &[
    "gcc",
    "g++",
    "gcc-c++",
    "c++",
    "cpp",
    "clang",
    "gfortran",
    "gcc-gfortran",
    "make",
    "cmake",
    "automake",
    "autoconf",
    "libtool",
    "build-essential",
    "build-base",
    "alpine-sdk",
    "musl-dev",
    "libc6-dev",
    "libc-dev",
    "glibc-devel",
    "linux-headers",
    "kernel-headers",
    "kernel-devel",
];

/// The package is a compiler, a build tool or a development package (`*-dev`, `*-devel`,
/// versioned compilers such as `gcc-12` and `clang-17`).
pub fn is_build_toolchain(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    let name = name.split(':').next().unwrap_or(&name);
    if TOOLS.contains(&name) || name.ends_with("-dev") || name.ends_with("-devel") {
        return true;
    }
    // `gcc-12`, `g++-13`, `clang-17`: the compiler with a version suffix.
    ["gcc-", "g++-", "clang-"].iter().any(|p| {
        name.strip_prefix(p)
            .is_some_and(|v| !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit() || b == b'.'))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn toolchains() {
        for n in [
            "gcc",
            "g++-12",
            "clang-17",
            "build-essential",
            "libpq-dev",
            "python3-devel",
            "musl-dev",
            "libssl-dev:amd64",
        ] {
            assert!(is_build_toolchain(n), "{n}");
        }
        for n in [
            "curl",
            "libpq5",
            "gcc-libs",
            "udev",
            "clang-format",
            "makedepend",
            "devscripts",
        ] {
            assert!(!is_build_toolchain(n), "{n}");
        }
    }
}
