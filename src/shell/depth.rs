//! Upper bounds of how deep a script makes the parsers recurse, measured without recursion.
//!
//! brush's tokenizer recurses once per `$(`, `$((`, `${` and `$[` it enters, and its parser once
//! per compound command (and per `(`, `!`, `&&`, `||` inside `[[ ]]`). Both are measured here
//! before brush sees the text, so that a script nested too deeply is refused instead of
//! exhausting the stack (which aborts the whole process: no `catch_unwind` can stop it).
//!
//! Each measure keeps a stack of the constructs that may be open. Openers are pushed generously
//! (a word that could start a compound command is counted even where it might not), and a
//! closer only pops when it matches the construct on top: a `fi` closes an `if`, never a `case`
//! or a brace. So arguments such as `echo }` or a `case` pattern's `)` close nothing, and the
//! count can only err upwards.

use brush_parser::Token;

/// What a `(`-like context of the character scan is.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Ctx {
    /// `$( ... )`: shell text; the count is the unmatched `(` inside.
    Command(u32),
    /// `$(( ... ))`: closes when its parentheses balance.
    Arithmetic(u32),
    /// `${ ... }`.
    Param,
    /// `$[ ... ]`.
    Bracket,
    /// `" ... "`.
    Double,
}

impl Ctx {
    fn recursive(self) -> bool {
        !matches!(self, Ctx::Double)
    }
}

/// The deepest nesting of `$(`, `$((`, `${` and `$[` in `text`, as brush's tokenizer reads
/// quotes: none in single quotes, ANSI-C quotes, comments or after a backslash, and double
/// quotes reopen inside a substitution. Stops counting (returning a value above `limit`) as soon
/// as `limit` is exceeded.
pub(super) fn expansion_depth(text: &str, limit: usize) -> usize {
    let b = text.as_bytes();
    let mut stack: Vec<Ctx> = Vec::new();
    let mut depth = 0usize;
    let mut max = 0usize;
    let mut i = 0usize;
    let mut word_start = true;
    while i < b.len() {
        let c = b[i];
        let top = stack.last().copied();
        let in_double = top == Some(Ctx::Double);
        let mut next_word_start = matches!(
            c,
            b' ' | b'\t' | b'\n' | b';' | b'&' | b'|' | b'(' | b')' | b'<' | b'>'
        );
        match c {
            b'\\' => i += 1,
            b'$' => {
                let opened = match b.get(i + 1) {
                    Some(b'(') if b.get(i + 2) == Some(&b'(') => Some((Ctx::Arithmetic(2), 3)),
                    Some(b'(') => Some((Ctx::Command(0), 2)),
                    Some(b'{') => Some((Ctx::Param, 2)),
                    Some(b'[') => Some((Ctx::Bracket, 2)),
                    Some(b'\'') if !in_double => {
                        i = skip_ansi_c(b, i + 2);
                        word_start = false;
                        continue;
                    }
                    _ => None,
                };
                if let Some((ctx, len)) = opened {
                    stack.push(ctx);
                    depth += 1;
                    max = max.max(depth);
                    if max > limit {
                        return max;
                    }
                    i += len;
                    word_start = true;
                    continue;
                }
            }
            b'`' => {
                // brush reads a backquoted part flat, to the next unescaped backquote.
                i += 1;
                while i < b.len() && b[i] != b'`' {
                    i += if b[i] == b'\\' { 2 } else { 1 };
                }
            }
            b'"' if in_double => {
                stack.pop();
            }
            b'"' => stack.push(Ctx::Double),
            _ if in_double => {}
            b'\'' => {
                i += 1;
                while i < b.len() && b[i] != b'\'' {
                    i += 1;
                }
            }
            b'#' if word_start && top != Some(Ctx::Param) => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
                next_word_start = true;
            }
            b'(' => {
                if let Some(Ctx::Command(n) | Ctx::Arithmetic(n)) = stack.last_mut() {
                    *n += 1;
                }
            }
            b')' => match stack.last_mut() {
                Some(Ctx::Command(0)) | Some(Ctx::Arithmetic(1)) => {
                    stack.pop();
                    depth -= 1;
                }
                Some(Ctx::Command(n) | Ctx::Arithmetic(n)) => *n -= 1,
                _ => {}
            },
            b'}' if top == Some(Ctx::Param) => {
                stack.pop();
                depth -= 1;
            }
            b']' if top == Some(Ctx::Bracket) => {
                stack.pop();
                depth -= 1;
            }
            _ => {}
        }
        debug_assert_eq!(depth, stack.iter().filter(|c| c.recursive()).count());
        word_start = next_word_start;
        i += 1;
    }
    max
}

fn skip_ansi_c(b: &[u8], mut i: usize) -> usize {
    while i < b.len() && b[i] != b'\'' {
        i += if b[i] == b'\\' { 2 } else { 1 };
    }
    i + 1
}

/// A construct of the token scan that may be open.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Open {
    /// `( ... )`, also a function's `()` or an arithmetic `((`: anything a `)` closes.
    Paren,
    /// `{ ... }`.
    Brace,
    If,
    /// `while` or `until` before its `do`.
    While,
    /// `for`, `select`, or a `while`/`until` after its `do`: closed by `done`.
    Loop,
    /// `case` before its `in`.
    CaseHeader,
    /// `case` after `in`; true while reading patterns (after `in` or `;;`), false in a branch's
    /// commands.
    Case(bool),
    /// `[[ ... ]]`.
    Test,
    /// One `!`, `&&` or `||` inside `[[ ]]`, each a level of brush's expression tree.
    TestOperator,
}

/// The deepest nesting of compound commands in a token stream, as an upper bound of the
/// recursion of brush's parser (and of our walk of its tree). Stops counting (returning a value
/// above `limit`) as soon as `limit` is exceeded.
///
/// Two readings of "a command starts here" are kept: `maybe` errs towards yes (an opener there
/// is counted), `surely` towards no (only there does a closer close), so that every doubt raises
/// the count.
pub(super) fn token_nesting(tokens: &[Token], limit: usize) -> Nesting {
    walk_tokens(tokens, limit).0
}

/// How deeply a token stream nests, measured by [`token_nesting`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Nesting {
    /// Compound commands open at once, at the deepest point.
    pub depth: usize,
    /// `case` commands open at once, at the deepest point. brush parses the commands of a
    /// `case` branch once as an item ending in `;;` and, when that fails, again as a last item
    /// without one, so a failure inside `case` commands nested N deep costs 2^N parses of it.
    pub cases: usize,
}

/// How many `(` operators are never closed by a `)`. brush's parser backtracks over every
/// unclosed `(` (a subshell or the start of `((`), so its time doubles with each one: a script
/// with a few dozen takes minutes. Such a script is a syntax error anyway.
pub(super) fn unclosed_parens(tokens: &[Token]) -> usize {
    let mut open = 0usize;
    for t in tokens {
        if let Token::Operator(op, _) = t {
            match op.as_str() {
                "(" => open += 1,
                ")" => open = open.saturating_sub(1),
                _ => {}
            }
        }
    }
    open
}

/// The first reserved word that stands where a command surely starts but closes or continues
/// a construct that is not open (`do` with no loop, `fi` with no `if`, `then` in a loop's
/// condition...): its token index and what it lacks. Only meaningful for a script that brush
/// rejected.
pub(super) fn misplaced_reserved_word(tokens: &[Token]) -> Option<(usize, &'static str)> {
    walk_tokens(tokens, usize::MAX).1
}

/// What a reserved word needs open on top of the stack, or None when it continues nothing.
fn expected_opener(word: &str) -> Option<(&'static [Open], &'static str)> {
    Some(match word {
        "then" | "elif" | "else" | "fi" => (&[Open::If], "an `if`"),
        "do" => (&[Open::While, Open::Loop], "a `for`, `while` or `until`"),
        "done" => (&[Open::Loop], "a `do`"),
        "esac" => (&[Open::Case(false)], "a `case`"),
        "}" => (&[Open::Brace], "a `{`"),
        _ => return None,
    })
}

fn walk_tokens(tokens: &[Token], limit: usize) -> (Nesting, Option<(usize, &'static str)>) {
    let mut misplaced = None;
    let mut stack: Vec<Open> = Vec::new();
    let mut max = 0usize;
    let mut cases = 0usize;
    let (mut maybe, mut surely) = (true, true);
    // The next word is an operand (a redirection target, a function name, `for`'s variable...);
    // the value says whether a command may start after it.
    let mut operand_next: Option<bool> = None;
    let mut after_time = false;
    for (index, t) in tokens.iter().enumerate() {
        let top = stack.last().copied();
        let in_test = matches!(top, Some(Open::Test | Open::TestOperator))
            || (top == Some(Open::Paren) && stack.contains(&Open::Test));
        let was_time = std::mem::take(&mut after_time);
        match t {
            Token::Operator(op, _) => {
                operand_next = None;
                (maybe, surely) = (true, true);
                match op.as_str() {
                    "(" if top == Some(Open::Case(true)) => {}
                    "(" => stack.push(Open::Paren),
                    ")" if top == Some(Open::Case(true)) => {
                        stack.pop();
                        stack.push(Open::Case(false));
                    }
                    ")" if top == Some(Open::Paren) => {
                        stack.pop();
                    }
                    ";;" | ";&" | ";;&" if top == Some(Open::Case(false)) => {
                        stack.pop();
                        stack.push(Open::Case(true));
                    }
                    "&&" | "||" if in_test => stack.push(Open::TestOperator),
                    ";" | "&" | "&&" | "||" | "|" | "|&" | "\n" | ")" | ";;" | ";&" | ";;&" => {}
                    _ => {
                        // A redirection: its target follows.
                        (maybe, surely) = (false, false);
                        operand_next = Some(false);
                    }
                }
            }
            Token::Word(w, _) => {
                let w = w.as_str();
                if in_test {
                    match w {
                        "]]" => {
                            while let Some(o) = stack.pop() {
                                if o == Open::Test {
                                    break;
                                }
                            }
                            operand_next = None;
                        }
                        "!" => stack.push(Open::TestOperator),
                        _ => {}
                    }
                    (maybe, surely) = (false, false);
                } else if let Some(then_command) = operand_next.take() {
                    (maybe, surely) = (then_command, false);
                } else if top == Some(Open::CaseHeader) && w == "in" {
                    stack.pop();
                    stack.push(Open::Case(true));
                } else if top == Some(Open::Case(true)) {
                    if w == "esac" {
                        stack.pop();
                        (maybe, surely) = (true, true);
                    }
                } else if maybe || (was_time && w == "-p") {
                    let was_sure = surely;
                    let closes = |o: Open| was_sure && top == Some(o);
                    if let Some((openers, lacking)) = expected_opener(w)
                        && was_sure
                        && misplaced.is_none()
                        && !top.is_some_and(|t| openers.contains(&t))
                    {
                        misplaced = Some((index, lacking));
                    }
                    (maybe, surely) = (true, true);
                    match w {
                        "if" => stack.push(Open::If),
                        "while" | "until" => stack.push(Open::While),
                        "for" | "select" => {
                            stack.push(Open::Loop);
                            operand_next = Some(false);
                        }
                        "case" => {
                            stack.push(Open::CaseHeader);
                            operand_next = Some(false);
                        }
                        "{" => stack.push(Open::Brace),
                        "[[" => stack.push(Open::Test),
                        "function" | "coproc" => operand_next = Some(true),
                        "fi" if closes(Open::If) => {
                            stack.pop();
                        }
                        "done" if closes(Open::Loop) => {
                            stack.pop();
                        }
                        "esac" if closes(Open::Case(false)) => {
                            stack.pop();
                        }
                        "}" if closes(Open::Brace) => {
                            stack.pop();
                        }
                        "do" if top == Some(Open::While) => {
                            stack.pop();
                            stack.push(Open::Loop);
                        }
                        "time" => after_time = true,
                        "then" | "else" | "elif" | "do" | "!" | "-p" => {}
                        _ => (maybe, surely) = (false, false),
                    }
                } else {
                    (maybe, surely) = (false, false);
                }
            }
        }
        max = max.max(stack.len());
        if matches!(t, Token::Word(w, _) if w == "case") {
            let open = stack
                .iter()
                .filter(|o| matches!(o, Open::CaseHeader | Open::Case(_)))
                .count();
            cases = cases.max(open);
        }
        if max > limit {
            break;
        }
    }
    (Nesting { depth: max, cases }, misplaced)
}
