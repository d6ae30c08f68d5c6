//! SPDX license identifiers and expressions.

/// Commonly used SPDX license identifiers (deprecated ones included, as they still appear).
const LICENSES: &[&str] = &[
    "0BSD",
    "AFL-2.1",
    "AFL-3.0",
    "AGPL-1.0",
    "AGPL-3.0",
    "AGPL-3.0-only",
    "AGPL-3.0-or-later",
    "Apache-1.0",
    "Apache-1.1",
    "Apache-2.0",
    "APSL-2.0",
    "Artistic-1.0",
    "Artistic-1.0-Perl",
    "Artistic-2.0",
    "Beerware",
    "BlueOak-1.0.0",
    "BSD-1-Clause",
    "BSD-2-Clause",
    "BSD-2-Clause-Patent",
    "BSD-3-Clause",
    "BSD-3-Clause-Clear",
    "BSD-4-Clause",
    "BSL-1.0",
    "BUSL-1.1",
    "bzip2-1.0.6",
    "CAL-1.0",
    "CC-BY-3.0",
    "CC-BY-4.0",
    "CC-BY-NC-4.0",
    "CC-BY-NC-SA-4.0",
    "CC-BY-ND-4.0",
    "CC-BY-SA-3.0",
    "CC-BY-SA-4.0",
    "CC0-1.0",
    "CDDL-1.0",
    "CDDL-1.1",
    "CECILL-2.1",
    "CPAL-1.0",
    "CPL-1.0",
    "curl",
    "ECL-2.0",
    "EFL-2.0",
    "Elastic-2.0",
    "EPL-1.0",
    "EPL-2.0",
    "EUPL-1.1",
    "EUPL-1.2",
    "FSFAP",
    "FTL",
    "GFDL-1.2-only",
    "GFDL-1.2-or-later",
    "GFDL-1.3-only",
    "GFDL-1.3-or-later",
    "GPL-1.0-only",
    "GPL-1.0-or-later",
    "GPL-2.0",
    "GPL-2.0-only",
    "GPL-2.0-or-later",
    "GPL-3.0",
    "GPL-3.0-only",
    "GPL-3.0-or-later",
    "HPND",
    "ICU",
    "IJG",
    "Imlib2",
    "IPL-1.0",
    "ISC",
    "LGPL-2.0",
    "LGPL-2.0-only",
    "LGPL-2.0-or-later",
    "LGPL-2.1",
    "LGPL-2.1-only",
    "LGPL-2.1-or-later",
    "LGPL-3.0",
    "LGPL-3.0-only",
    "LGPL-3.0-or-later",
    "libpng-2.0",
    "Libpng",
    "LPL-1.02",
    "LPPL-1.3c",
    "MIT",
    "MIT-0",
    "MIT-CMU",
    "MPL-1.1",
    "MPL-2.0",
    "MPL-2.0-no-copyleft-exception",
    "MS-PL",
    "MS-RL",
    "MulanPSL-2.0",
    "NCSA",
    "ODbL-1.0",
    "OFL-1.1",
    "OLDAP-2.8",
    "OpenSSL",
    "OSL-3.0",
    "PHP-3.0",
    "PHP-3.01",
    "PostgreSQL",
    "PSF-2.0",
    "Python-2.0",
    "QPL-1.0",
    "Ruby",
    "SGI-B-2.0",
    "SISSL",
    "Sleepycat",
    "SSPL-1.0",
    "TCL",
    "Unicode-3.0",
    "Unicode-DFS-2016",
    "Unlicense",
    "UPL-1.0",
    "Vim",
    "W3C",
    "WTFPL",
    "X11",
    "Xnet",
    "Zlib",
    "ZPL-2.0",
    "ZPL-2.1",
];

/// Commonly used SPDX license exceptions (after `WITH`).
const EXCEPTIONS: &[&str] = &[
    "389-exception",
    "Autoconf-exception-2.0",
    "Autoconf-exception-3.0",
    "Bison-exception-2.2",
    "Bootloader-exception",
    "Classpath-exception-2.0",
    "CLISP-exception-2.0",
    "eCos-exception-2.0",
    "FLTK-exception",
    "Font-exception-2.0",
    "freertos-exception-2.0",
    "GCC-exception-2.0",
    "GCC-exception-3.1",
    "gnu-javamail-exception",
    "GPL-3.0-linking-exception",
    "GPL-3.0-linking-source-exception",
    "GPL-CC-1.0",
    "i2p-gpl-java-exception",
    "LGPL-3.0-linking-exception",
    "Libtool-exception",
    "Linux-syscall-note",
    "LLVM-exception",
    "LZMA-exception",
    "mif-exception",
    "OCaml-LGPL-linking-exception",
    "OpenJDK-assembly-exception-1.0",
    "openvpn-openssl-exception",
    "Qt-GPL-exception-1.0",
    "Qt-LGPL-exception-1.1",
    "Qwt-exception-1.0",
    "Swift-exception",
    "u-boot-exception-2.0",
    "Universal-FOSS-exception-1.0",
    "WxWindows-exception-3.1",
];

/// An SPDX license expression: `id[+]`, `LicenseRef-x`, `DocumentRef-x:LicenseRef-y`,
/// combined with `WITH`, `AND`, `OR` (in that order of binding) and parentheses.
pub fn is_spdx_expression(s: &str) -> bool {
    let spaced = s.replace('(', " ( ").replace(')', " ) ");
    let tokens: Vec<&str> = spaced.split_whitespace().collect();
    let mut pos = 0;
    or_expr(&tokens, &mut pos, 0) && pos == tokens.len()
}

fn or_expr(t: &[&str], pos: &mut usize, depth: usize) -> bool {
    if depth > 32 || !and_expr(t, pos, depth) {
        return false;
    }
    while t.get(*pos) == Some(&"OR") {
        *pos += 1;
        if !and_expr(t, pos, depth) {
            return false;
        }
    }
    true
}

fn and_expr(t: &[&str], pos: &mut usize, depth: usize) -> bool {
    if !with_expr(t, pos, depth) {
        return false;
    }
    while t.get(*pos) == Some(&"AND") {
        *pos += 1;
        if !with_expr(t, pos, depth) {
            return false;
        }
    }
    true
}

fn with_expr(t: &[&str], pos: &mut usize, depth: usize) -> bool {
    let ok = match t.get(*pos) {
        Some(&"(") => {
            *pos += 1;
            let inner = or_expr(t, pos, depth + 1);
            let closed = t.get(*pos) == Some(&")");
            *pos += 1;
            return inner && closed;
        }
        Some(id) => is_license(id),
        None => false,
    };
    if !ok {
        return false;
    }
    *pos += 1;
    if t.get(*pos) == Some(&"WITH") {
        *pos += 1;
        let exception = t.get(*pos).is_some_and(|e| {
            EXCEPTIONS.iter().any(|x| x.eq_ignore_ascii_case(e)) || is_ref(e, "AdditionRef-")
        });
        *pos += 1;
        return exception;
    }
    true
}

fn is_license(id: &str) -> bool {
    let id = id.strip_suffix('+').unwrap_or(id);
    if let Some((doc, lic)) = id.split_once(':') {
        return is_ref(doc, "DocumentRef-") && is_ref(lic, "LicenseRef-");
    }
    is_ref(id, "LicenseRef-") || LICENSES.iter().any(|l| l.eq_ignore_ascii_case(id))
}

/// `prefix` followed by letters, digits, `.` and `-`.
fn is_ref(s: &str, prefix: &str) -> bool {
    s.strip_prefix(prefix).is_some_and(|rest| {
        !rest.is_empty()
            && rest
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-')
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn expressions() {
        for ok in [
            "MIT",
            "apache-2.0",
            "GPL-2.0+",
            "GPL-2.0-only WITH Classpath-exception-2.0",
            "(MIT OR Apache-2.0) AND BSD-3-Clause",
            "LicenseRef-acme-1",
            "DocumentRef-spdx:LicenseRef-x",
        ] {
            assert!(super::is_spdx_expression(ok), "{ok}");
        }
        for bad in [
            "Apache License",
            "MIT OR",
            "(MIT",
            "MIT)",
            "MIT WITH Foo",
            "BSD",
            "MIT and Apache-2.0",
            "LicenseRef-",
            "(((((",
        ] {
            assert!(!super::is_spdx_expression(bad), "{bad}");
        }
    }
}
