//! What each command accepts (its options, their environment variables, defaults and
//! values) and the `--help` text written from that, so the help lists exactly what the
//! parser in `args.rs` reads.

use super::{shown, Env};

/// An option of one command.
#[derive(Debug)]
pub(super) struct Opt {
    /// The long name, without `--`.
    pub(super) name: &'static str,
    /// The value's name (`PORT`); `None` for a flag.
    pub(super) value: Option<&'static str>,
    /// The environment variable read when the option is absent.
    pub(super) env: Option<&'static str>,
    /// What the help says the value is when it is absent.
    pub(super) default: Option<&'static str>,
    /// May be given more than once.
    pub(super) repeat: bool,
    /// The sentence of the help (the field's doc comment).
    pub(super) doc: &'static str,
    /// The values it takes, with what each means; shown in the help.
    pub(super) choices: &'static [(&'static str, &'static str)],
}

impl Opt {
    pub(super) const fn flag(name: &'static str, doc: &'static str) -> Opt {
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

    pub(super) const fn value(name: &'static str, value: &'static str, doc: &'static str) -> Opt {
        Opt {
            value: Some(value),
            ..Opt::flag(name, doc)
        }
    }

    /// `--port <PORT>` or `--all`, as messages and the help name it.
    pub(super) fn shown(&self) -> String {
        match self.value {
            Some(v) => format!("--{} <{v}>", self.name),
            None => format!("--{}", self.name),
        }
    }
}

pub(super) const HOST: Opt = Opt {
    env: Some("HOST"),
    default: Some("127.0.0.1"),
    ..Opt::value("host", "HOST", "Address to listen on")
};
pub(super) const PORT: Opt = Opt {
    env: Some("PORT"),
    default: Some("8000"),
    ..Opt::value("port", "PORT", "Port to listen on")
};

pub(super) const SERVE: &[Opt] = &[
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
pub(super) const DEV: &[Opt] = &[HOST, PORT];

/// `--out`, of both document commands.
const OUT: Opt = Opt::value(
    "out",
    "OUT",
    "Write the document to this file instead of standard output",
);

pub(super) const OPENAPI: &[Opt] = &[
    OUT,
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

#[cfg(feature = "openapi-diff")]
pub(super) const DIFF: &[Opt] = &[
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

#[cfg(feature = "asyncapi")]
pub(super) const ASYNCAPI: &[Opt] = &[
    OUT,
    Opt::value(
        "check",
        "CHECK",
        "Compare the document with this file; exit 1 with a diff when they differ",
    ),
];

/// `openapi diff`'s positional arguments: `<OLD>` and `[NEW]`.
#[cfg(feature = "openapi-diff")]
pub(super) const DIFF_ARGS: &[(&str, &str)] = &[
    ("<OLD>", "The old document (JSON), e.g. the last release's"),
    (
        "[NEW]",
        "The new document (JSON); default: the app's, in the OpenAPI version of OLD",
    ),
];

/// The sentence `help` has in the lists of subcommands.
pub(super) const HELP_ABOUT: &str = "Print this message or the help of the given subcommand(s)";

/// A command: the program itself or one of its subcommands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Level {
    Top,
    Serve,
    Openapi,
    #[cfg(feature = "openapi-diff")]
    Diff,
    #[cfg(feature = "asyncapi")]
    Asyncapi,
    #[cfg(feature = "dev")]
    Dev,
    Help,
}

impl Level {
    /// The subcommands of the top level, in the order of its help.
    pub(super) const COMMANDS: &'static [Level] = &[
        Level::Serve,
        Level::Openapi,
        #[cfg(feature = "asyncapi")]
        Level::Asyncapi,
        #[cfg(feature = "dev")]
        Level::Dev,
        Level::Help,
    ];

    /// The name on the command line.
    pub(super) fn name(self) -> &'static str {
        match self {
            Level::Top => "",
            Level::Serve => "serve",
            Level::Openapi => "openapi",
            #[cfg(feature = "openapi-diff")]
            Level::Diff => "diff",
            #[cfg(feature = "asyncapi")]
            Level::Asyncapi => "asyncapi",
            #[cfg(feature = "dev")]
            Level::Dev => "dev",
            Level::Help => "help",
        }
    }

    /// The first line of the help (the doc comment of the subcommand's variant).
    pub(super) fn about(self) -> &'static str {
        match self {
            Level::Top => "A ferrapi application",
            Level::Serve => "Serve the API over HTTP (the default)",
            Level::Openapi => {
                "Print, write or check the OpenAPI document; `openapi diff` lists breaking changes"
            }
            #[cfg(feature = "openapi-diff")]
            Level::Diff => {
                "List what changed since an older document, each change breaking or compatible"
            }
            #[cfg(feature = "asyncapi")]
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

    pub(super) fn options(self) -> &'static [Opt] {
        match self {
            Level::Top | Level::Help => &[],
            Level::Serve => SERVE,
            Level::Openapi => OPENAPI,
            #[cfg(feature = "openapi-diff")]
            Level::Diff => DIFF,
            #[cfg(feature = "asyncapi")]
            Level::Asyncapi => ASYNCAPI,
            #[cfg(feature = "dev")]
            Level::Dev => DEV,
        }
    }

    pub(super) fn subcommands(self) -> &'static [Level] {
        match self {
            Level::Top => Level::COMMANDS,
            #[cfg(feature = "openapi-diff")]
            Level::Openapi => &[Level::Diff, Level::Help],
            #[cfg(not(feature = "openapi-diff"))]
            Level::Openapi => &[Level::Help],
            _ => &[],
        }
    }

    /// Subcommands a feature this build lacks would add, with the feature: named in the
    /// error instead of "unrecognized".
    pub(super) fn feature_subcommands(self) -> &'static [(&'static str, &'static str)] {
        match self {
            Level::Top => &[
                #[cfg(not(feature = "asyncapi"))]
                ("asyncapi", "asyncapi"),
                #[cfg(not(feature = "dev"))]
                ("dev", "dev"),
            ],
            #[cfg(not(feature = "openapi-diff"))]
            Level::Openapi => &[("diff", "openapi-diff")],
            _ => &[],
        }
    }

    /// How many positional arguments it takes (subcommand names aside).
    pub(super) fn positionals(self) -> usize {
        match self {
            #[cfg(feature = "openapi-diff")]
            Level::Diff => DIFF_ARGS.len(),
            Level::Help => usize::MAX,
            _ => 0,
        }
    }

    /// The words before its options: `items openapi diff`.
    pub(super) fn path(self, program: &str) -> String {
        match self {
            Level::Top => program.to_string(),
            #[cfg(feature = "openapi-diff")]
            Level::Diff => format!("{program} openapi diff"),
            other => format!("{program} {}", other.name()),
        }
    }

    /// What follows `Usage: `.
    pub(super) fn usage(self, program: &str) -> String {
        let path = self.path(program);
        match self {
            Level::Top => format!("{path} [COMMAND]"),
            Level::Openapi => format!("{path} [OPTIONS]\n       {path} <COMMAND>"),
            #[cfg(feature = "openapi-diff")]
            Level::Diff => format!("{path} [OPTIONS] <OLD> [NEW]"),
            Level::Help => format!("{path} [COMMAND]..."),
            _ => format!("{path} [OPTIONS]"),
        }
    }

    /// The text of `openapi diff --help`: the long form clap wrote, for the descriptions of
    /// the formats.
    #[cfg(feature = "openapi-diff")]
    fn diff_help(self, program: &str, env: Env<'_>) -> String {
        let mut out = String::from(self.about());
        out.push_str(
            ".\n\nExits 1 when a change is breaking and not allowed, 2 when a document \
             cannot be read or compared.",
        );
        out.push_str(&format!("\n\nUsage: {}\n", self.usage(program)));
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
        out
    }

    /// The text of `--help`.
    pub(super) fn help(self, program: &str, env: Env<'_>) -> String {
        let mut out = String::new();
        #[cfg(feature = "openapi-diff")]
        if self == Level::Diff {
            return self.diff_help(program, env);
        }
        out.push_str(self.about());
        out.push_str(&format!("\n\nUsage: {}\n", self.usage(program)));
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
