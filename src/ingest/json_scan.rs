//! Finding where one JSON value ends in a byte stream without parsing or holding it.
//!
//! A `.json` file is split into its top-level values (array elements, or objects one
//! after another) by tracking only strings, escapes and bracket depth. Each value is
//! kept up to a limit and parsed afterwards; a value above the limit is streamed past
//! with a buffer of fixed size, so memory never grows with the size of one record.

use std::io::{self, BufRead};

/// Why a value could not be delimited.
#[derive(Debug)]
pub enum ScanError {
    /// The stream ended inside a string or an object/array.
    Eof,
    /// Reading (or decompressing) failed.
    Io(io::Error),
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// Inside an object or array (`depth` > 0), outside any string.
    Container,
    /// A top-level string, or a string inside a container.
    String { escape: bool },
    /// A number, `true`, `false`, `null` or garbage: ends at a delimiter.
    Scalar,
}

/// Bytes that end a top-level scalar.
fn ends_scalar(b: u8) -> bool {
    matches!(
        b,
        b' ' | b'\t' | b'\r' | b'\n' | b',' | b']' | b'}' | b'[' | b'{' | b'"'
    )
}

/// Skips whitespace (and a UTF-8 byte order mark) and returns the next byte without
/// consuming it, or `None` at end of input.
pub fn peek_non_space(stream: &mut dyn BufRead) -> io::Result<Option<u8>> {
    loop {
        let buf = stream.fill_buf()?;
        if buf.is_empty() {
            return Ok(None);
        }
        match buf
            .iter()
            .position(|b| !b.is_ascii_whitespace() && !matches!(b, 0xEF | 0xBB | 0xBF))
        {
            Some(pos) => {
                let b = buf[pos];
                stream.consume(pos);
                return Ok(Some(b));
            }
            None => {
                let n = buf.len();
                stream.consume(n);
            }
        }
    }
}

/// Reads the JSON value starting at the stream's position (after whitespace), keeping at
/// most `max + 1` of its bytes in `kept` (cleared first). Returns its full length.
pub fn scan_value(
    stream: &mut dyn BufRead,
    kept: &mut Vec<u8>,
    max: usize,
) -> Result<u64, ScanError> {
    kept.clear();
    let mut total = 0u64;
    let mut depth = 0u64;
    let mut mode: Option<Mode> = None;
    loop {
        let buf = stream.fill_buf().map_err(ScanError::Io)?;
        if buf.is_empty() {
            return match mode {
                // A number at the very end of the file is complete.
                Some(Mode::Scalar) => Ok(total),
                _ => Err(ScanError::Eof),
            };
        }
        let mut end = None;
        let mut i = 0;
        while i < buf.len() {
            let b = buf[i];
            match mode {
                None => {
                    mode = Some(match b {
                        b'{' | b'[' => {
                            depth = 1;
                            Mode::Container
                        }
                        b'"' => Mode::String { escape: false },
                        _ => Mode::Scalar,
                    });
                }
                Some(Mode::String { escape: true }) => mode = Some(Mode::String { escape: false }),
                Some(Mode::String { escape: false }) => {
                    // Long strings are the bulk of a record: jump to the next quote or
                    // backslash instead of stepping through the state machine.
                    match buf[i..].iter().position(|&c| c == b'"' || c == b'\\') {
                        None => i = buf.len() - 1,
                        Some(off) => {
                            i += off;
                            if buf[i] == b'\\' {
                                mode = Some(Mode::String { escape: true });
                            } else if depth == 0 {
                                end = Some(i + 1);
                                break;
                            } else {
                                mode = Some(Mode::Container);
                            }
                        }
                    }
                }
                Some(Mode::Container) => match b {
                    b'"' => mode = Some(Mode::String { escape: false }),
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' => {
                        depth -= 1;
                        if depth == 0 {
                            end = Some(i + 1);
                            break;
                        }
                    }
                    _ => {}
                },
                Some(Mode::Scalar) => {
                    if ends_scalar(b) {
                        end = Some(i);
                        break;
                    }
                }
            }
            i += 1;
        }
        let take = end.unwrap_or(buf.len());
        let room = (max + 1).saturating_sub(kept.len());
        kept.extend_from_slice(&buf[..take.min(room)]);
        total += take as u64;
        stream.consume(take);
        if end.is_some() {
            return Ok(total);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(input: &[u8], max: usize) -> Vec<Result<(u64, Vec<u8>), String>> {
        let mut stream = input;
        let mut out = Vec::new();
        let mut kept = Vec::new();
        while peek_non_space(&mut stream).unwrap().is_some() {
            match scan_value(&mut stream, &mut kept, max) {
                Ok(len) => out.push(Ok((len, kept.clone()))),
                Err(e) => {
                    out.push(Err(format!("{e:?}")));
                    break;
                }
            }
        }
        out
    }

    #[test]
    fn values_end_at_their_closing_bracket_quote_or_delimiter() {
        let got = values(
            br#"{"a":"x}\"]","b":[1,{"c":2}]} 17 "s\\" [] true{"d":1}"#,
            100,
        );
        let texts: Vec<String> = got
            .iter()
            .map(|v| String::from_utf8(v.as_ref().unwrap().1.clone()).unwrap())
            .collect();
        assert_eq!(
            texts,
            [
                r#"{"a":"x}\"]","b":[1,{"c":2}]}"#,
                "17",
                r#""s\\""#,
                "[]",
                "true",
                r#"{"d":1}"#
            ]
        );
    }

    #[test]
    fn a_value_above_the_limit_keeps_only_the_limit_but_reports_its_length() {
        let mut input = b"{\"text\":\"".to_vec();
        input.extend(std::iter::repeat_n(b'a', 10_000));
        input.extend_from_slice(b"\"} {\"text\":\"b\"}");
        let got = values(&input, 50);
        let (len, kept) = got[0].as_ref().unwrap();
        assert_eq!(*len, 10_011);
        assert_eq!(kept.len(), 51);
        assert_eq!(got[1].as_ref().unwrap().1, b"{\"text\":\"b\"}");
    }

    #[test]
    fn a_value_cut_off_is_an_eof_error() {
        for input in [&b"{\"a\": [1, 2"[..], b"\"open", b"{\"a\":\"\\"] {
            assert_eq!(values(input, 100), [Err("Eof".to_string())], "{input:?}");
        }
    }
}
