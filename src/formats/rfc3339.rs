//! RFC 3339 timestamps.

/// `YYYY-MM-DDTHH:MM:SS[.frac](Z|+HH:MM|-HH:MM)`, with real calendar ranges.
pub fn is_rfc3339(s: &str) -> bool {
    let b = s.as_bytes();
    let num = |from: usize, len: usize| -> Option<u32> {
        let digits = b.get(from..from + len)?;
        if !digits.iter().all(u8::is_ascii_digit) {
            return None;
        }
        Some(digits.iter().fold(0, |n, d| n * 10 + u32::from(d - b'0')))
    };
    let sep = |at: usize, c: &[u8]| b.get(at).is_some_and(|x| c.contains(x));
    let (Some(year), Some(month), Some(day)) = (num(0, 4), num(5, 2), num(8, 2)) else {
        return false;
    };
    if !sep(4, b"-") || !sep(7, b"-") || !sep(10, b"Tt") || !sep(13, b":") || !sep(16, b":") {
        return false;
    }
    let (Some(hour), Some(min), Some(sec)) = (num(11, 2), num(14, 2), num(17, 2)) else {
        return false;
    };
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    if day == 0 || day > days || hour > 23 || min > 59 || sec > 60 {
        return false;
    }
    let mut i = 19;
    if sep(i, b".") {
        i += 1;
        let start = i;
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        if i == start {
            return false;
        }
    }
    match b.get(i) {
        Some(b'Z' | b'z') => i + 1 == b.len(),
        Some(b'+' | b'-') => {
            let (Some(oh), Some(om)) = (num(i + 1, 2), num(i + 4, 2)) else {
                return false;
            };
            sep(i + 3, b":") && oh <= 23 && om <= 59 && i + 6 == b.len()
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn timestamps() {
        for ok in [
            "2024-05-01T12:30:00Z",
            "2024-02-29T00:00:00.123+02:00",
            "1999-12-31t23:59:60z",
        ] {
            assert!(super::is_rfc3339(ok), "{ok}");
        }
        for bad in [
            "2024-05-01",
            "2023-02-29T00:00:00Z",
            "2024-05-01T12:30:00",
            "2024-13-01T00:00:00Z",
            "2024-05-01 12:30:00Z",
            "2024-05-01T12:30:00+0200",
            "2024-05-01T12:30:00.Z",
        ] {
            assert!(!super::is_rfc3339(bad), "{bad}");
        }
    }
}
