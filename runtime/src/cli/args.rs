//! Reading the command line of [`App::run`](crate::App::run) into a [`Cli`], with `lexopt`
//! splitting the arguments (clap and its derive cost every clean build of an app some 4.7 s
//! of CPU; this is the little of it the four subcommands need).
//!
//! What clap did and users see is kept: `--opt value` and `--opt=value`, environment
//! variables for absent options, the conflicts between `openapi`'s options, `-h`/`--help`
//! and the `help` subcommand on every level, and usage errors as `error: ...` with
//! `For more information, try '--help'.` (exit status 2).

use std::ffi::{OsStr, OsString};
use std::fmt;
use std::path::PathBuf;
use std::str::FromStr;

use lexopt::Arg;

use commands::{Level, Opt};

#[cfg(feature = "asyncapi")]
use super::AsyncapiArgs;
#[cfg(feature = "dev")]
use super::DevArgs;
use super::{Cli, Command, OpenapiArgs, ServeArgs};
#[cfg(feature = "openapi-diff")]
use super::{DiffArgs, OpenapiCommand};

/// Why [`Cli::parse_from`] returned no [`Cli`]: a request for help, or a usage error.
///
/// [`print`](CliError::print) writes it where clap wrote it (help on standard output,
/// errors on standard error) and [`exit_code`](CliError::exit_code) is the status to exit
/// with (0 and 2).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum CliError {
    /// `-h`, `--help` or `help [COMMAND]...`: the usage text of that command.
    Help(String),
    /// The arguments cannot be read: unknown or repeated options, conflicting options, a
    /// missing or invalid value, an extra argument.
    Usage {
        /// What is wrong, without the `error: ` prefix (`unexpected argument '--frob'
        /// found`).
        message: String,
        /// The usage line of the command the error is in, when it helps.
        usage: Option<String>,
    },
}

impl CliError {
    /// The process's exit status: 0 for help, 2 for a usage error (as clap's).
    pub fn exit_code(&self) -> i32 {
        match self {
            CliError::Help(_) => 0,
            CliError::Usage { .. } => 2,
        }
    }

    /// Prints the help on standard output, or the error on standard error. A closed
    /// output (`app --help | head -1`) is no panic: what cannot be written is dropped.
    pub fn print(&self) {
        use std::io::Write;
        let _ = match self {
            CliError::Help(_) => writeln!(std::io::stdout().lock(), "{self}"),
            CliError::Usage { .. } => writeln!(std::io::stderr().lock(), "{self}"),
        };
    }
}

impl fmt::Display for CliError {
    /// The help text, or `error: MESSAGE`, the usage and the hint to try `--help`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CliError::Help(text) => f.write_str(text.trim_end()),
            CliError::Usage { message, usage } => {
                write!(f, "error: {message}\n\n")?;
                if let Some(usage) = usage {
                    write!(f, "Usage: {usage}\n\n")?;
                }
                f.write_str("For more information, try '--help'.")
            }
        }
    }
}

impl std::error::Error for CliError {}

/// Reads an environment variable (a function, so that tests need not set the process's).
pub(super) type Env<'a> = &'a dyn Fn(&str) -> Option<OsString>;

/// The process's environment.
pub(super) fn process_env(name: &str) -> Option<OsString> {
    std::env::var_os(name)
}

/// [`Cli::parse_from`] with the environment read through `env`.
pub(super) fn parse<I, T>(args: I, env: Env<'_>) -> Result<Cli, CliError>
where
    I: IntoIterator<Item = T>,
    T: Into<OsString>,
{
    let mut p = Parser::new(args, env);
    let command = match p.scan(Level::Top)? {
        Next::End(_) => None,
        Next::Subcommand(name) => Some(p.command(&name)?),
    };
    Ok(Cli { command })
}

/// `serve`'s options when no subcommand is given: the environment's, else the defaults.
pub(super) fn default_serve<T: Into<OsString>>(
    program: T,
    env: Env<'_>,
) -> Result<ServeArgs, CliError> {
    let mut p = Parser::new([program.into()], env);
    p.serve()
}

/// An argument as quoted in a message: lossy UTF-8, control characters escaped (no escape
/// sequence reaches the terminal), at most 100 characters.
fn shown(value: &OsStr) -> String {
    const MAX: usize = 100;
    let text = value.to_string_lossy();
    let mut out = String::new();
    for (i, c) in text.chars().enumerate() {
        if i == MAX {
            out.push_str("...");
            break;
        }
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}

/// Where a value came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Source {
    Arg,
    Env(&'static str),
}

/// An option found, with its value (empty for a flag).
#[derive(Debug)]
struct Given {
    opt: &'static Opt,
    value: OsString,
    source: Source,
}

/// An argument as [`Parser::scan`] reads it.
enum Token {
    /// `-h`.
    Help,
    /// `--help`, which may not have a value.
    LongHelp,
    /// `--name`, perhaps with `=value`.
    Long(String),
    /// A subcommand's name or a positional argument.
    Value(OsString),
}

/// What [`Parser::scan`] stopped at.
enum Next {
    /// The end of the arguments: the options and positional arguments found.
    End(Found),
    /// A subcommand's name.
    Subcommand(String),
}

/// The options and positional arguments of one command.
#[derive(Debug, Default)]
struct Found {
    given: Vec<Given>,
    positional: Vec<OsString>,
}

struct Parser<'e> {
    lexer: lexopt::Parser,
    program: String,
    env: Env<'e>,
}

impl<'e> Parser<'e> {
    fn new<I, T>(args: I, env: Env<'e>) -> Parser<'e>
    where
        I: IntoIterator<Item = T>,
        T: Into<OsString>,
    {
        let lexer = lexopt::Parser::from_iter(args.into_iter().map(Into::into));
        let program = lexer
            .bin_name()
            .map(|name| {
                std::path::Path::new(name)
                    .file_name()
                    .map_or(name.to_string(), |n| n.to_string_lossy().into_owned())
            })
            .filter(|name| !name.is_empty())
            .unwrap_or_else(|| "app".to_string());
        Parser {
            lexer,
            program: shown(OsStr::new(&program)),
            env,
        }
    }

    /// A usage error in `level`, with its usage line.
    fn error(&self, level: Level, message: String) -> CliError {
        CliError::Usage {
            message,
            usage: Some(level.usage(&self.program)),
        }
    }

    /// `name` is not a subcommand of `level`: the feature that would add it, if one would.
    fn unknown_subcommand(&self, level: Level, name: &OsStr) -> CliError {
        match level.feature_subcommands().iter().find(|(n, _)| name == *n) {
            Some((command, feature)) => CliError::Usage {
                message: format!(
                    "`{}` is in ferrapi's `{feature}` feature, which this app was built \
                     without: add it to the app's ferrapi dependency (`features = \
                     [\"{feature}\"]`)",
                    match level {
                        Level::Top => command.to_string(),
                        _ => format!("{} {command}", level.name()),
                    }
                ),
                usage: None,
            },
            None => self.error(level, format!("unrecognized subcommand '{}'", shown(name))),
        }
    }

    /// Reads `level`'s options and positional arguments up to the end or a subcommand.
    fn scan(&mut self, level: Level) -> Result<Next, CliError> {
        let mut found = Found::default();
        loop {
            let arg = match self.lexer.next() {
                Ok(Some(arg)) => arg,
                Ok(None) => break,
                // Only `--flag=value` is left over by the calls below, and they say so first.
                Err(e) => return Err(self.error(level, e.to_string())),
            };
            let token = match arg {
                Arg::Short('h') => Token::Help,
                Arg::Long("help") => Token::LongHelp,
                Arg::Long(name) => Token::Long(name.to_string()),
                Arg::Short(c) => {
                    let shown = shown(OsStr::new(&format!("-{c}")));
                    return Err(self.error(level, format!("unexpected argument '{shown}' found")));
                }
                Arg::Value(v) => Token::Value(v),
            };
            match token {
                Token::Help => return Err(CliError::Help(level.help(&self.program, self.env))),
                Token::LongHelp => {
                    self.no_value(level, "--help")?;
                    return Err(CliError::Help(level.help(&self.program, self.env)));
                }
                Token::Long(name) => {
                    let Some(opt) = level.options().iter().find(|o| o.name == name) else {
                        return Err(self.error(
                            level,
                            format!("unexpected argument '--{}' found", shown(OsStr::new(&name))),
                        ));
                    };
                    if !opt.repeat && found.given.iter().any(|g| g.opt.name == opt.name) {
                        return Err(self.error(
                            level,
                            format!(
                                "the argument '{}' cannot be used multiple times",
                                opt.shown()
                            ),
                        ));
                    }
                    let value = match opt.value {
                        None => {
                            self.no_value(level, &opt.shown())?;
                            OsString::new()
                        }
                        Some(_) => self.value(opt)?,
                    };
                    found.given.push(Given {
                        opt,
                        value,
                        source: Source::Arg,
                    });
                }
                Token::Value(value) => {
                    let subcommands = level.subcommands();
                    if !subcommands.is_empty() {
                        let Some(sub) = subcommands.iter().find(|s| value == s.name()) else {
                            return Err(self.unknown_subcommand(level, &value));
                        };
                        if let Some(first) = found.given.first() {
                            return Err(self.error(
                                level,
                                format!(
                                    "the subcommand '{}' cannot be used with '{}'",
                                    sub.name(),
                                    first.opt.shown()
                                ),
                            ));
                        }
                        return Ok(Next::Subcommand(sub.name().to_string()));
                    }
                    if found.positional.len() >= level.positionals() {
                        return Err(self.error(
                            level,
                            format!("unexpected argument '{}' found", shown(&value)),
                        ));
                    }
                    found.positional.push(value);
                }
            }
        }
        // Absent options take their environment variable's value.
        for opt in level.options() {
            let Some(var) = opt.env else { continue };
            if found.given.iter().any(|g| g.opt.name == opt.name) {
                continue;
            }
            if let Some(value) = (self.env)(var) {
                found.given.push(Given {
                    opt,
                    value,
                    source: Source::Env(var),
                });
            }
        }
        Ok(Next::End(found))
    }

    /// A flag given as `--flag=value` is an error.
    fn no_value(&mut self, level: Level, shown_opt: &str) -> Result<(), CliError> {
        match self.lexer.optional_value() {
            None => Ok(()),
            Some(value) => Err(self.error(
                level,
                format!(
                    "unexpected value '{}' for '{shown_opt}' found; no more were expected",
                    shown(&value)
                ),
            )),
        }
    }

    /// The value of `opt`: `--opt=value`, or the next argument unless it looks like an
    /// option (`--out --check x` lacks the value of `--out`, as with clap).
    fn value(&mut self, opt: &Opt) -> Result<OsString, CliError> {
        let missing = |tip: Option<&OsStr>| {
            let mut message = format!(
                "a value is required for '{}' but none was supplied",
                opt.shown()
            );
            if let Some(tip) = tip {
                let tip = shown(tip);
                message.push_str(&format!(
                    "\n\n  tip: to pass '{tip}' as a value, use '--{}={tip}'",
                    opt.name
                ));
            }
            CliError::Usage {
                message,
                usage: None,
            }
        };
        if let Some(value) = self.lexer.optional_value() {
            return if value.is_empty() {
                Err(missing(None))
            } else {
                Ok(value)
            };
        }
        let Some(mut rest) = self.lexer.try_raw_args() else {
            return Err(missing(None));
        };
        match rest.peek() {
            None => Err(missing(None)),
            Some(next) if next.len() > 1 && next.as_encoded_bytes().starts_with(b"-") => {
                Err(missing(Some(next)))
            }
            Some(_) => rest.next().ok_or_else(|| missing(None)),
        }
    }

    /// The subcommand `name` of the top level, with its arguments.
    fn command(&mut self, name: &str) -> Result<Command, CliError> {
        Ok(match name {
            "serve" => Command::Serve(self.serve()?),
            "openapi" => Command::Openapi(self.openapi()?),
            #[cfg(feature = "asyncapi")]
            "asyncapi" => {
                let found = self.end(Level::Asyncapi)?;
                self.conflict(Level::Asyncapi, &found, "out", "check")?;
                Command::Asyncapi(AsyncapiArgs {
                    out: found.path("out"),
                    check: found.path("check"),
                })
            }
            #[cfg(feature = "dev")]
            "dev" => {
                let found = self.end(Level::Dev)?;
                Command::Dev(DevArgs {
                    host: found.parse("host")?.unwrap_or(DEFAULT_HOST),
                    port: found.port()?.unwrap_or(DEFAULT_PORT),
                })
            }
            // `help`, the one other name `scan` returns.
            _ => return Err(self.help(Level::Top)),
        })
    }

    /// Scans a command without subcommands.
    fn end(&mut self, level: Level) -> Result<Found, CliError> {
        match self.scan(level)? {
            Next::End(found) => Ok(found),
            Next::Subcommand(_) => Err(self.error(level, "a subcommand was not expected".into())),
        }
    }

    fn serve(&mut self) -> Result<ServeArgs, CliError> {
        let found = self.end(Level::Serve)?;
        Ok(ServeArgs {
            host: found.parse("host")?.unwrap_or(DEFAULT_HOST),
            port: found.port()?.unwrap_or(DEFAULT_PORT),
            root_path: found.string("root-path")?,
            drain_seconds: found.parse("drain-seconds")?,
        })
    }

    fn openapi(&mut self) -> Result<OpenapiArgs, CliError> {
        let level = Level::Openapi;
        let found = match self.scan(level)? {
            Next::End(found) => found,
            #[cfg(feature = "openapi-diff")]
            Next::Subcommand(name) if name == "diff" => {
                return Ok(OpenapiArgs {
                    command: Some(OpenapiCommand::Diff(self.diff()?)),
                    out: None,
                    check: None,
                    api_version: None,
                    all: false,
                    out_dir: None,
                    spec_version: None,
                    one_error_schema: false,
                });
            }
            Next::Subcommand(_) => return Err(self.help(level)),
        };
        self.conflict(level, &found, "out", "check")?;
        self.conflict(level, &found, "api-version", "all")?;
        self.conflict(level, &found, "all", "out")?;
        if found.get("out-dir").is_some() && found.get("all").is_none() {
            return Err(CliError::Usage {
                message: "the following required arguments were not provided:\n  --all".into(),
                usage: Some(format!(
                    "{} --all --out-dir <DIR>",
                    level.path(&self.program)
                )),
            });
        }
        self.conflict(level, &found, "out-dir", "check")?;
        Ok(OpenapiArgs {
            command: None,
            out: found.path("out"),
            check: found.path("check"),
            api_version: found.string("api-version")?,
            all: found.get("all").is_some(),
            out_dir: found.path("out-dir"),
            spec_version: found.parse("spec-version")?,
            one_error_schema: found.get("one-error-schema").is_some(),
        })
    }

    #[cfg(feature = "openapi-diff")]
    fn diff(&mut self) -> Result<DiffArgs, CliError> {
        let level = Level::Diff;
        let mut found = self.end(level)?;
        let mut positional = std::mem::take(&mut found.positional).into_iter();
        let Some(old) = positional.next() else {
            return Err(CliError::Usage {
                message: "the following required arguments were not provided:\n  <OLD>".into(),
                usage: Some(format!("{} <OLD> [NEW]", level.path(&self.program))),
            });
        };
        Ok(DiffArgs {
            old: PathBuf::from(old),
            new: positional.next().map(PathBuf::from),
            format: found.parse("format")?.unwrap_or_default(),
            allow: found.strings("allow")?,
            api_version: found.string("api-version")?,
        })
    }

    /// `help [COMMAND]...` (also `openapi help [COMMAND]`): the help of that command.
    fn help(&mut self, from: Level) -> CliError {
        let mut level = from;
        let names = match self.end(Level::Help) {
            Ok(found) => found.positional,
            Err(e) => return e,
        };
        for name in names {
            match level.subcommands().iter().find(|s| name == s.name()) {
                Some(sub) => level = *sub,
                None => return self.unknown_subcommand(level, &name),
            }
        }
        CliError::Help(level.help(&self.program, self.env))
    }

    /// `a` and `b` given together is an error, naming them in the order given.
    fn conflict(&self, level: Level, found: &Found, a: &str, b: &str) -> Result<(), CliError> {
        let (Some(x), Some(y)) = (found.index(a), found.index(b)) else {
            return Ok(());
        };
        let (first, second) = if x < y { (x, y) } else { (y, x) };
        let (first, second) = (found.given[first].opt, found.given[second].opt);
        Err(CliError::Usage {
            message: format!(
                "the argument '{}' cannot be used with '{}'",
                first.shown(),
                second.shown()
            ),
            usage: Some(format!("{} {}", level.path(&self.program), first.shown())),
        })
    }
}

const DEFAULT_HOST: std::net::IpAddr = std::net::IpAddr::V4(std::net::Ipv4Addr::LOCALHOST);
const DEFAULT_PORT: u16 = 8000;

impl Found {
    fn index(&self, name: &str) -> Option<usize> {
        self.given.iter().position(|g| g.opt.name == name)
    }

    fn get(&self, name: &str) -> Option<&Given> {
        self.given.iter().find(|g| g.opt.name == name)
    }

    fn path(&self, name: &str) -> Option<PathBuf> {
        self.get(name).map(|g| PathBuf::from(&g.value))
    }

    fn string(&self, name: &str) -> Result<Option<String>, CliError> {
        self.get(name).map(Given::text).transpose()
    }

    #[cfg(feature = "openapi-diff")]
    fn strings(&self, name: &str) -> Result<Vec<String>, CliError> {
        self.given
            .iter()
            .filter(|g| g.opt.name == name)
            .map(Given::text)
            .collect()
    }

    fn parse<T>(&self, name: &str) -> Result<Option<T>, CliError>
    where
        T: FromStr,
        T::Err: fmt::Display,
    {
        self.get(name)
            .map(|g| {
                g.parse_with(|s| s.parse::<T>().map_err(|e| e.to_string()))
                    .map_err(|e| match g.opt.choices {
                        [] => e,
                        // As clap said it: the values to choose from.
                        choices => g.invalid_choice(choices),
                    })
            })
            .transpose()
    }

    /// `--port`: a number of 0 to 65535, said as clap said it.
    fn port(&self) -> Result<Option<u16>, CliError> {
        self.get("port")
            .map(|g| {
                g.parse_with(|s| {
                    let n: u64 = s
                        .parse()
                        .map_err(|e: std::num::ParseIntError| e.to_string())?;
                    u16::try_from(n).map_err(|_| format!("{n} is not in 0..=65535"))
                })
            })
            .transpose()
    }
}

impl Given {
    /// ` (from the environment variable PORT)` when the value came from there.
    fn source(&self) -> String {
        match self.source {
            Source::Arg => String::new(),
            Source::Env(var) => format!(" (from the environment variable {var})"),
        }
    }

    /// `invalid value 'abc' for '--port <PORT>' (from PORT): ...`.
    fn invalid(&self, why: &str) -> CliError {
        let from = self.source();
        CliError::Usage {
            message: format!(
                "invalid value '{}' for '{}'{from}: {why}",
                shown(&self.value),
                self.opt.shown()
            ),
            usage: None,
        }
    }

    /// `invalid value 'yaml' for '--format <FORMAT>'` and the values it takes.
    fn invalid_choice(&self, choices: &[(&str, &str)]) -> CliError {
        let names: Vec<&str> = choices.iter().map(|(name, _)| *name).collect();
        let from = self.source();
        CliError::Usage {
            message: format!(
                "invalid value '{}' for '{}'{from}\n  [possible values: {}]",
                shown(&self.value),
                self.opt.shown(),
                names.join(", ")
            ),
            usage: None,
        }
    }

    fn text(&self) -> Result<String, CliError> {
        self.value
            .to_str()
            .map(str::to_string)
            .ok_or_else(|| self.invalid("invalid UTF-8 was detected"))
    }

    fn parse_with<T>(&self, parse: impl Fn(&str) -> Result<T, String>) -> Result<T, CliError> {
        parse(&self.text()?).map_err(|why| self.invalid(&why))
    }
}

mod commands;
// The command line's tests include `openapi diff`'s options throughout.
#[cfg(all(test, feature = "openapi-diff"))]
mod tests;
