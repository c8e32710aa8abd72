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

#[cfg(feature = "dev")]
use super::DevArgs;
use super::{AsyncapiArgs, Cli, Command, DiffArgs, OpenapiArgs, OpenapiCommand, ServeArgs};

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

/// An option of one command.
#[derive(Debug)]
struct Opt {
    /// The long name, without `--`.
    name: &'static str,
    /// The value's name (`PORT`); `None` for a flag.
    value: Option<&'static str>,
    /// The environment variable read when the option is absent.
    env: Option<&'static str>,
    /// What the help says the value is when it is absent.
    default: Option<&'static str>,
    /// May be given more than once.
    repeat: bool,
    /// The sentence of the help (the field's doc comment).
    doc: &'static str,
    /// The values it takes, with what each means; shown in the help.
    choices: &'static [(&'static str, &'static str)],
}

impl Opt {
    const fn flag(name: &'static str, doc: &'static str) -> Opt {
        Opt {
            name,
            value: None,
            env: None,
            default: None,
            repeat: false,
            doc,
            choices: &[],
        }
    }

    const fn value(name: &'static str, value: &'static str, doc: &'static str) -> Opt {
        Opt {
            value: Some(value),
            ..Opt::flag(name, doc)
        }
    }

    /// `--port <PORT>` or `--all`, as messages and the help name it.
    fn shown(&self) -> String {
        match self.value {
            Some(v) => format!("--{} <{v}>", self.name),
            None => format!("--{}", self.name),
        }
    }
}

const HOST: Opt = Opt {
    env: Some("HOST"),
    default: Some("127.0.0.1"),
    ..Opt::value("host", "HOST", "Address to listen on")
};
const PORT: Opt = Opt {
    env: Some("PORT"),
    default: Some("8000"),
    ..Opt::value("port", "PORT", "Port to listen on")
};

const SERVE: &[Opt] = &[
    HOST,
    PORT,
    Opt {
        env: Some("ROOT_PATH"),
        ..Opt::value(
            "root-path",
            "ROOT_PATH",
            "The path prefix a proxy strips before forwarding (uvicorn's `--root-path`); see \
             `App::root_path`",
        )
    },
    Opt {
        env: Some("DRAIN_SECONDS"),
        ..Opt::value(
            "drain-seconds",
            "DRAIN_SECONDS",
            "Seconds to keep serving, reporting not ready, after SIGTERM before closing (see \
             `App::drain_period`)",
        )
    },
];

#[cfg(feature = "dev")]
const DEV: &[Opt] = &[HOST, PORT];

const OPENAPI: &[Opt] = &[
    Opt::value(
        "out",
        "OUT",
        "Write the document to this file instead of standard output",
    ),
    Opt::value(
        "check",
        "CHECK",
        "Compare the document with this file (with `--all`, the documents with those in this \
         directory); exit 1 with a diff when they differ",
    ),
    Opt::value(
        "api-version",
        "VERSION",
        "The version of a versioned API to write (`1.0.0`, `1`, `v1`; default: the latest)",
    ),
    Opt::flag(
        "all",
        "Every document: one per version of a versioned API (`v1.json`, `v2.json`, ...) and \
         the latest as `openapi.json`; just `openapi.json` for an unversioned one. Written \
         with `--out-dir`, or checked with `--check DIR`",
    ),
    Opt::value(
        "out-dir",
        "DIR",
        "With `--all`: the directory to write the documents to (created if missing)",
    ),
    Opt::value(
        "spec-version",
        "VERSION",
        "The OpenAPI version to write: 3.0, 3.1 or 3.2 (default: the app's, 3.1 unless \
         `App::openapi_version` says otherwise)",
    ),
    Opt::flag(
        "one-error-schema",
        "Document every error answer with the one `HTTPError` schema (for client generators \
         that want one error type per operation, such as progenitor)",
    ),
];

const DIFF: &[Opt] = &[
    Opt {
        default: Some("text"),
        choices: &[
            ("text", "One line per change, then the summary"),
            (
                "markdown",
                "A table for a pull-request comment, under the summary",
            ),
            (
                "json",
                "An array of `{rule, breaking, allowed, operation, location, message}`",
            ),
        ],
        ..Opt::value("format", "FORMAT", "How to write the report")
    },
    Opt {
        repeat: true,
        ..Opt::value(
            "allow",
            "RULE[@METHOD /path]",
            "Accept a breaking change: a rule id (`operation-removed`) or a rule in one \
             operation (`operation-removed@DELETE /items/{id}`). Repeatable",
        )
    },
    Opt::value(
        "api-version",
        "VERSION",
        "Without NEW: compare with this version of a versioned app (`1.0.0`, `1`, `v1`; \
         default: the latest)",
    ),
];

const ASYNCAPI: &[Opt] = &[
    Opt::value(
        "out",
        "OUT",
        "Write the document to this file instead of standard output",
    ),
    Opt::value(
        "check",
        "CHECK",
        "Compare the document with this file; exit 1 with a diff when they differ",
    ),
];

/// `openapi diff`'s positional arguments: `<OLD>` and `[NEW]`.
const DIFF_ARGS: &[(&str, &str)] = &[
    ("<OLD>", "The old document (JSON), e.g. the last release's"),
    (
        "[NEW]",
        "The new document (JSON); default: the app's, in the OpenAPI version of OLD",
    ),
];

/// The sentence `help` has in the lists of subcommands.
const HELP_ABOUT: &str = "Print this message or the help of the given subcommand(s)";

/// A command: the program itself or one of its subcommands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Level {
    Top,
    Serve,
    Openapi,
    Diff,
    Asyncapi,
    #[cfg(feature = "dev")]
    Dev,
    Help,
}

impl Level {
    /// The subcommands of the top level, in the order of its help.
    const COMMANDS: &'static [Level] = &[
        Level::Serve,
        Level::Openapi,
        Level::Asyncapi,
        #[cfg(feature = "dev")]
        Level::Dev,
        Level::Help,
    ];

    /// The name on the command line.
    fn name(self) -> &'static str {
        match self {
            Level::Top => "",
            Level::Serve => "serve",
            Level::Openapi => "openapi",
            Level::Diff => "diff",
            Level::Asyncapi => "asyncapi",
            #[cfg(feature = "dev")]
            Level::Dev => "dev",
            Level::Help => "help",
        }
    }

    /// The first line of the help (the doc comment of the subcommand's variant).
    fn about(self) -> &'static str {
        match self {
            Level::Top => "A ferrapi application",
            Level::Serve => "Serve the API over HTTP (the default)",
            Level::Openapi => {
                "Print, write or check the OpenAPI document; `openapi diff` lists breaking changes"
            }
            Level::Diff => {
                "List what changed since an older document, each change breaking or compatible"
            }
            Level::Asyncapi => {
                "Print, write or check the AsyncAPI 3.0 document (WebSocket routes, event streams)"
            }
            #[cfg(feature = "dev")]
            Level::Dev => {
                "Rebuild and restart the server when a source changes, keeping the listening \
                 socket open (FastAPI's `fastapi dev`; Unix only)"
            }
            Level::Help => HELP_ABOUT,
        }
    }

    fn options(self) -> &'static [Opt] {
        match self {
            Level::Top | Level::Help => &[],
            Level::Serve => SERVE,
            Level::Openapi => OPENAPI,
            Level::Diff => DIFF,
            Level::Asyncapi => ASYNCAPI,
            #[cfg(feature = "dev")]
            Level::Dev => DEV,
        }
    }

    fn subcommands(self) -> &'static [Level] {
        match self {
            Level::Top => Level::COMMANDS,
            Level::Openapi => &[Level::Diff, Level::Help],
            _ => &[],
        }
    }

    /// How many positional arguments it takes (subcommand names aside).
    fn positionals(self) -> usize {
        match self {
            Level::Diff => DIFF_ARGS.len(),
            Level::Help => usize::MAX,
            _ => 0,
        }
    }

    /// The words before its options: `items openapi diff`.
    fn path(self, program: &str) -> String {
        match self {
            Level::Top => program.to_string(),
            Level::Diff => format!("{program} openapi diff"),
            other => format!("{program} {}", other.name()),
        }
    }

    /// What follows `Usage: `.
    fn usage(self, program: &str) -> String {
        let path = self.path(program);
        match self {
            Level::Top => format!("{path} [COMMAND]"),
            Level::Openapi => format!("{path} [OPTIONS]\n       {path} <COMMAND>"),
            Level::Diff => format!("{path} [OPTIONS] <OLD> [NEW]"),
            Level::Help => format!("{path} [COMMAND]..."),
            _ => format!("{path} [OPTIONS]"),
        }
    }

    /// The text of `--help`.
    fn help(self, program: &str, env: Env<'_>) -> String {
        let mut out = String::new();
        out.push_str(self.about());
        if self == Level::Diff {
            out.push_str(
                ".\n\nExits 1 when a change is breaking and not allowed, 2 when a document \
                 cannot be read or compared.",
            );
        }
        out.push_str(&format!("\n\nUsage: {}\n", self.usage(program)));
        if self == Level::Diff {
            // As clap wrote it: the long form, for the descriptions of the formats.
            out.push_str("\nArguments:\n");
            for (name, doc) in DIFF_ARGS {
                out.push_str(&format!("  {name}\n          {doc}\n\n"));
            }
            out.push_str("Options:\n");
            for opt in self.options() {
                out.push_str(&format!("      {}\n          {}\n", opt.shown(), opt.doc));
                if !opt.choices.is_empty() {
                    out.push_str("\n          Possible values:\n");
                    let width = opt.choices.iter().map(|(v, _)| v.len()).max().unwrap_or(0);
                    for (value, doc) in opt.choices {
                        let pad = width - value.len();
                        out.push_str(&format!("          - {value}: {:pad$}{doc}\n", ""));
                    }
                }
                let notes = notes(opt, env);
                if !notes.is_empty() {
                    out.push_str(&format!("\n          {}\n", notes.trim_start()));
                }
                out.push('\n');
            }
            out.push_str("  -h, --help\n          Print help\n");
            return out;
        }
        let commands: Vec<(String, String)> = self
            .subcommands()
            .iter()
            .map(|c| (c.name().to_string(), c.about().to_string()))
            .collect();
        if !commands.is_empty() {
            out.push_str("\nCommands:\n");
            table(&mut out, &commands);
        }
        if self == Level::Help {
            out.push_str("\nArguments:\n");
            let args = [(
                "[COMMAND]...".to_string(),
                "Print help for the subcommand(s)".to_string(),
            )];
            table(&mut out, &args);
            return out;
        }
        let mut options: Vec<(String, String)> = self
            .options()
            .iter()
            .map(|o| {
                (
                    format!("    {}", o.shown()),
                    format!("{}{}", o.doc, notes(o, env)),
                )
            })
            .collect();
        options.push(("-h, --help".to_string(), "Print help".to_string()));
        out.push_str("\nOptions:\n");
        table(&mut out, &options);
        out
    }
}

/// ` [env: HOST=0.0.0.0] [default: 127.0.0.1]`: where an absent option's value comes from.
fn notes(opt: &Opt, env: Env<'_>) -> String {
    let mut s = String::new();
    if let Some(var) = opt.env {
        let value = env(var).map(|v| shown(&v)).unwrap_or_default();
        s.push_str(&format!(" [env: {var}={value}]"));
    }
    if let Some(default) = opt.default {
        s.push_str(&format!(" [default: {default}]"));
    }
    s
}

/// Two columns, the second aligned, each row indented by two spaces.
fn table(out: &mut String, rows: &[(String, String)]) {
    let width = rows
        .iter()
        .map(|(l, _)| l.chars().count())
        .max()
        .unwrap_or(0);
    for (left, right) in rows {
        let pad = width - left.chars().count() + 2;
        out.push_str(&format!("  {left}{:pad$}{right}\n", ""));
    }
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
                            return Err(self.error(
                                level,
                                format!("unrecognized subcommand '{}'", shown(&value)),
                            ));
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
                None => {
                    return self.error(level, format!("unrecognized subcommand '{}'", shown(&name)))
                }
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

#[cfg(test)]
mod tests;
