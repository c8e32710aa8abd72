//! The command line as users type it, read without clap: defaults, the environment,
//! `--opt=value`, the conflicts clap enforced, help, errors, and hostile arguments.

use std::collections::HashMap;
use std::ffi::OsString;
use std::net::IpAddr;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use super::{default_serve, parse, CliError, Level, Opt};
use crate::cli::{AsyncapiArgs, Cli, Command, DiffArgs, OpenapiArgs, OpenapiCommand, ServeArgs};
use crate::openapi_diff::Format;
use crate::render::OpenApiVersion;

/// Parses `app ARGS...` with `vars` as the whole environment.
fn parse_in<A: Into<OsString>>(
    args: impl IntoIterator<Item = A>,
    vars: &[(&str, &str)],
) -> Result<Cli, CliError> {
    let vars: HashMap<String, OsString> = vars
        .iter()
        .map(|(k, v)| (k.to_string(), OsString::from(v)))
        .collect();
    let env = move |name: &str| vars.get(name).cloned();
    let argv = std::iter::once(OsString::from("/usr/local/bin/items"))
        .chain(args.into_iter().map(Into::into));
    parse(argv, &env)
}

fn ok(args: &[&str]) -> Cli {
    parse_in(args.iter().copied(), &[]).unwrap_or_else(|e| panic!("{args:?}: {e}"))
}

/// The message of the usage error `args` give (exit status 2).
fn error_in(args: &[&str], vars: &[(&str, &str)]) -> String {
    match parse_in(args.iter().copied(), vars) {
        Ok(cli) => panic!("{args:?} was accepted: {cli:?}"),
        Err(e @ CliError::Help(_)) => panic!("{args:?} gave help: {e}"),
        Err(e @ CliError::Usage { .. }) => {
            assert_eq!(e.exit_code(), 2);
            let shown = e.to_string();
            assert!(shown.starts_with("error: "), "{shown}");
            assert!(
                shown.ends_with("\n\nFor more information, try '--help'."),
                "{shown}"
            );
            let CliError::Usage { message, .. } = e else {
                unreachable!()
            };
            message
        }
    }
}

fn error(args: &[&str]) -> String {
    error_in(args, &[])
}

/// The help text `args` ask for (exit status 0).
fn help(args: &[&str]) -> String {
    match parse_in(args.iter().copied(), &[]) {
        Err(e @ CliError::Help(_)) => {
            assert_eq!(e.exit_code(), 0);
            e.to_string()
        }
        other => panic!("{args:?} gave no help: {other:?}"),
    }
}

fn serve_in(args: &[&str], vars: &[(&str, &str)]) -> ServeArgs {
    match parse_in(args.iter().copied(), vars) {
        Ok(Cli {
            command: Some(Command::Serve(s)),
        }) => s,
        other => panic!("{args:?}: not serve: {other:?}"),
    }
}

fn serve(args: &[&str]) -> ServeArgs {
    serve_in(args, &[])
}

fn openapi(args: &[&str]) -> OpenapiArgs {
    match ok(args).command {
        Some(Command::Openapi(o)) => o,
        other => panic!("{args:?}: not openapi: {other:?}"),
    }
}

fn diff(args: &[&str]) -> DiffArgs {
    match openapi(args).command {
        Some(OpenapiCommand::Diff(d)) => d,
        None => panic!("{args:?}: no diff"),
    }
}

fn asyncapi(args: &[&str]) -> AsyncapiArgs {
    match ok(args).command {
        Some(Command::Asyncapi(a)) => a,
        other => panic!("{args:?}: not asyncapi: {other:?}"),
    }
}

fn localhost() -> IpAddr {
    IpAddr::from([127, 0, 0, 1])
}

#[test]
fn defaults() {
    assert!(ok(&[]).command.is_none(), "no subcommand: run serves");
    let s = serve(&["serve"]);
    assert_eq!((s.host, s.port), (localhost(), 8000));
    assert_eq!((s.root_path, s.drain_seconds), (None, None));

    let none = |_: &str| None;
    let s = default_serve("app", &none).unwrap();
    assert_eq!((s.host, s.port, s.root_path), (localhost(), 8000, None));

    let o = openapi(&["openapi"]);
    assert!(o.command.is_none() && o.out.is_none() && o.check.is_none());
    assert!(o.api_version.is_none() && o.out_dir.is_none() && o.spec_version.is_none());
    assert!(!o.all && !o.one_error_schema);

    let d = diff(&["openapi", "diff", "old.json"]);
    assert_eq!(d.old, PathBuf::from("old.json"));
    assert_eq!(d.new, None);
    assert_eq!(d.format, Format::Text);
    assert!(d.allow.is_empty() && d.api_version.is_none());

    let a = asyncapi(&["asyncapi"]);
    assert!(a.out.is_none() && a.check.is_none());
}

#[test]
fn the_environment_fills_absent_options() {
    let vars = [
        ("HOST", "0.0.0.0"),
        ("PORT", "9000"),
        ("ROOT_PATH", "/api"),
        ("DRAIN_SECONDS", "5"),
    ];
    let s = serve_in(&["serve"], &vars);
    assert_eq!(s.host, IpAddr::from([0, 0, 0, 0]));
    assert_eq!(s.port, 9000);
    assert_eq!(s.root_path.as_deref(), Some("/api"));
    assert_eq!(s.drain_seconds, Some(5));

    // An option on the command line wins over its variable.
    let s = serve_in(&["serve", "--port", "7000", "--root-path=/v2"], &vars);
    assert_eq!((s.port, s.root_path.as_deref()), (7000, Some("/v2")));
    assert_eq!(s.host, IpAddr::from([0, 0, 0, 0]));

    // Without a subcommand, `run` serves with the environment's values.
    let env = |name: &str| (name == "PORT").then(|| OsString::from("8123"));
    assert_eq!(default_serve("app", &env).unwrap().port, 8123);

    // A bad variable is an error naming the option, the variable and the value, also
    // without a subcommand (clap's fallback served on 8000 instead).
    let message = error_in(&["serve"], &[("PORT", "abc")]);
    assert!(message.contains("'abc'"), "{message}");
    assert!(message.contains("--port <PORT>"), "{message}");
    assert!(message.contains("environment variable PORT"), "{message}");
    let env = |name: &str| (name == "HOST").then(|| OsString::from("localhost"));
    let e = default_serve("app", &env).unwrap_err();
    assert_eq!(e.exit_code(), 2);
    assert!(
        e.to_string().contains("'localhost' for '--host <HOST>'"),
        "{e}"
    );
    // An empty variable is a value, as with clap: no number.
    let message = error_in(&["serve"], &[("PORT", "")]);
    assert!(
        message.contains("cannot parse integer from empty string"),
        "{message}"
    );

    // `openapi` reads none of them.
    let o = openapi(&["openapi"]);
    assert!(o.out.is_none());
}

#[cfg(feature = "dev")]
#[test]
fn dev_takes_host_and_port() {
    let vars = [("HOST", "::1"), ("PORT", "9000")];
    match parse_in(["dev"], &vars).unwrap().command {
        Some(Command::Dev(d)) => assert_eq!((d.host, d.port), ("::1".parse().unwrap(), 9000)),
        other => panic!("not dev: {other:?}"),
    }
    match ok(&["dev", "--port=1"]).command {
        Some(Command::Dev(d)) => assert_eq!((d.host, d.port), (localhost(), 1)),
        other => panic!("not dev: {other:?}"),
    }
    assert!(error(&["dev", "--root-path", "/x"]).contains("'--root-path' found"));
    assert!(help(&["dev", "--help"]).contains("--port <PORT>"));
    assert!(help(&["--help"]).contains("\n  dev "));
}

#[test]
fn equals_form() {
    let s = serve(&[
        "serve",
        "--host=::1",
        "--port=1",
        "--root-path=/a=b",
        "--drain-seconds=3",
    ]);
    assert_eq!(s.host, "::1".parse::<IpAddr>().unwrap());
    assert_eq!(s.port, 1);
    assert_eq!(
        s.root_path.as_deref(),
        Some("/a=b"),
        "only the first = splits"
    );
    assert_eq!(s.drain_seconds, Some(3));

    let o = openapi(&[
        "openapi",
        "--out=o.json",
        "--api-version=v1",
        "--spec-version=3.0",
        "--one-error-schema",
    ]);
    assert_eq!(o.out, Some(PathBuf::from("o.json")));
    assert_eq!(o.api_version.as_deref(), Some("v1"));
    assert_eq!(o.spec_version, Some(OpenApiVersion::V3_0));
    assert!(o.one_error_schema);
    let o = openapi(&["openapi", "--all", "--out-dir=docs"]);
    assert!(o.all);
    assert_eq!(o.out_dir, Some(PathBuf::from("docs")));
    let o = openapi(&["openapi", "--all", "--check=docs"]);
    assert_eq!(o.check, Some(PathBuf::from("docs")));

    let d = diff(&[
        "openapi",
        "diff",
        "a.json",
        "--format=markdown",
        "--allow=operation-removed",
        "--api-version=2",
    ]);
    assert_eq!(d.format, Format::Markdown);
    assert_eq!(d.allow, ["operation-removed"]);
    assert_eq!(d.api_version.as_deref(), Some("2"));

    let a = asyncapi(&["asyncapi", "--check=a.json"]);
    assert_eq!(a.check, Some(PathBuf::from("a.json")));
    // `-` alone is a value.
    assert_eq!(
        asyncapi(&["asyncapi", "--out", "-"]).out,
        Some(PathBuf::from("-"))
    );
}

#[test]
fn conflicts() {
    let cases: &[(&[&str], &str)] = &[
        (
            &["openapi", "--out", "a", "--check", "b"],
            "the argument '--out <OUT>' cannot be used with '--check <CHECK>'",
        ),
        (
            &["openapi", "--check", "b", "--out=a"],
            "the argument '--check <CHECK>' cannot be used with '--out <OUT>'",
        ),
        (
            &["openapi", "--api-version", "1", "--all"],
            "the argument '--api-version <VERSION>' cannot be used with '--all'",
        ),
        (
            &["openapi", "--all", "--out", "x"],
            "the argument '--all' cannot be used with '--out <OUT>'",
        ),
        (
            &["openapi", "--out-dir", "d"],
            "the following required arguments were not provided:\n  --all",
        ),
        // clap let `--out-dir` pass silently next to `--out`; it needs `--all` all the same.
        (
            &["openapi", "--out", "a", "--out-dir", "d"],
            "the following required arguments were not provided:\n  --all",
        ),
        (
            &["openapi", "--all", "--out-dir", "d", "--check", "c"],
            "the argument '--out-dir <DIR>' cannot be used with '--check <CHECK>'",
        ),
        (
            &["openapi", "--out", "x", "diff", "old.json"],
            "the subcommand 'diff' cannot be used with '--out <OUT>'",
        ),
        (
            &["openapi", "--one-error-schema", "diff", "old.json"],
            "the subcommand 'diff' cannot be used with '--one-error-schema'",
        ),
        (
            &["asyncapi", "--out", "a", "--check", "b"],
            "the argument '--out <OUT>' cannot be used with '--check <CHECK>'",
        ),
    ];
    for (args, expected) in cases {
        assert_eq!(error(args), *expected, "{args:?}");
    }
    // The usage line of a conflict names the first option, as clap's did.
    let e = parse_in(["openapi", "--all", "--out", "x"], &[]).unwrap_err();
    assert!(
        e.to_string().contains("\n\nUsage: items openapi --all\n\n"),
        "{e}"
    );
    // `openapi diff` has options of its own, not `openapi`'s.
    assert_eq!(
        error(&["openapi", "diff", "x", "--out", "y"]),
        "unexpected argument '--out' found"
    );
}

#[test]
fn unknown_options_subcommands_and_extra_arguments() {
    let cases: &[(&[&str], &str)] = &[
        (&["frobnicate"], "unrecognized subcommand 'frobnicate'"),
        (&["--port", "80"], "unexpected argument '--port' found"),
        (&["--version"], "unexpected argument '--version' found"),
        (&["-V"], "unexpected argument '-V' found"),
        (&["serve", "--frob"], "unexpected argument '--frob' found"),
        (&["serve", "--frob=1"], "unexpected argument '--frob' found"),
        (&["serve", "-x"], "unexpected argument '-x' found"),
        (&["serve", "extra"], "unexpected argument 'extra' found"),
        (&["serve", "--", "x"], "unexpected argument 'x' found"),
        (&["serve", "help"], "unexpected argument 'help' found"),
        (&["openapi", "frob"], "unrecognized subcommand 'frob'"),
        (
            &["openapi", "diff", "a", "b", "c"],
            "unexpected argument 'c' found",
        ),
        (
            &["openapi", "diff", "--all", "a"],
            "unexpected argument '--all' found",
        ),
        (&["asyncapi", "--all"], "unexpected argument '--all' found"),
        (
            &["openapi", "--all=yes"],
            "unexpected value 'yes' for '--all' found; no more were expected",
        ),
        (
            &["serve", "--help=please"],
            "unexpected value 'please' for '--help' found; no more were expected",
        ),
        (
            &["serve", "--port=1", "--port=2"],
            "the argument '--port <PORT>' cannot be used multiple times",
        ),
        (
            &["openapi", "--all", "--all"],
            "the argument '--all' cannot be used multiple times",
        ),
        (
            &[
                "openapi", "diff", "a", "--format", "json", "--format", "text",
            ],
            "the argument '--format <FORMAT>' cannot be used multiple times",
        ),
        (&["help", "frob"], "unrecognized subcommand 'frob'"),
        (
            &["help", "serve", "extra"],
            "unrecognized subcommand 'extra'",
        ),
        (
            &["openapi", "diff"],
            "the following required arguments were not provided:\n  <OLD>",
        ),
    ];
    for (args, expected) in cases {
        assert_eq!(error(args), *expected, "{args:?}");
    }
    let e = parse_in(["serve", "--frob"], &[]).unwrap_err();
    assert_eq!(
        e.to_string(),
        "error: unexpected argument '--frob' found\n\nUsage: items serve [OPTIONS]\n\n\
         For more information, try '--help'."
    );
}

#[test]
fn missing_values() {
    let required =
        |option: &str| format!("a value is required for '{option}' but none was supplied");
    assert_eq!(error(&["serve", "--port"]), required("--port <PORT>"));
    assert_eq!(error(&["openapi", "--out="]), required("--out <OUT>"));
    assert_eq!(
        error(&["openapi", "diff", "--allow"]),
        required("--allow <RULE[@METHOD /path]>")
    );
    // A next argument that looks like an option is no value (clap's rule), with a tip.
    let message = error(&["openapi", "--api-version", "--all"]);
    assert!(
        message.starts_with(&required("--api-version <VERSION>")),
        "{message}"
    );
    assert!(message.contains("use '--api-version=--all'"), "{message}");
    assert!(error(&["openapi", "--out", "--check", "x"]).starts_with(&required("--out <OUT>")));
    assert!(error(&["serve", "--root-path", "-x"]).contains("use '--root-path=-x'"));
    // ... which the `=` form passes, as an empty separate argument.
    assert_eq!(
        serve(&["serve", "--root-path=-x"]).root_path.as_deref(),
        Some("-x")
    );
    assert_eq!(
        serve(&["serve", "--root-path", ""]).root_path.as_deref(),
        Some("")
    );
    // Value errors come without a usage line, as with clap.
    let e = parse_in(["serve", "--port"], &[]).unwrap_err();
    assert!(!e.to_string().contains("Usage:"), "{e}");
}

#[test]
fn bad_values() {
    let cases: &[(&[&str], &str)] = &[
        (
            &["serve", "--port", "abc"],
            "invalid value 'abc' for '--port <PORT>': invalid digit found in string",
        ),
        (
            &["serve", "--port", "99999"],
            "invalid value '99999' for '--port <PORT>': 99999 is not in 0..=65535",
        ),
        (
            &["serve", "--port=-1"],
            "invalid value '-1' for '--port <PORT>': invalid digit found in string",
        ),
        (
            &["serve", "--port", "18446744073709551616"],
            "invalid value '18446744073709551616' for '--port <PORT>': number too large to fit in target type",
        ),
        (
            &["serve", "--drain-seconds", "soon"],
            "invalid value 'soon' for '--drain-seconds <DRAIN_SECONDS>': invalid digit found in string",
        ),
        (
            &["serve", "--host", "nope"],
            "invalid value 'nope' for '--host <HOST>': invalid IP address syntax",
        ),
        (
            &["openapi", "--spec-version", "2.0"],
            "invalid value '2.0' for '--spec-version <VERSION>': unknown OpenAPI version `2.0`: choose 3.0, 3.1 or 3.2",
        ),
        (
            &["openapi", "diff", "a", "--format", "yaml"],
            "invalid value 'yaml' for '--format <FORMAT>'\n  [possible values: text, markdown, json]",
        ),
        (
            &["openapi", "diff", "a", "--format", "Markdown"],
            "invalid value 'Markdown' for '--format <FORMAT>'\n  [possible values: text, markdown, json]",
        ),
    ];
    for (args, expected) in cases {
        assert_eq!(error(args), *expected, "{args:?}");
    }
    assert_eq!(serve(&["serve", "--port", "65535"]).port, 65535);
    assert_eq!(serve(&["serve", "--port", "0"]).port, 0);
}

#[test]
fn help_lists_every_option_with_its_sentence() {
    let levels: &[(&[&str], Level)] = &[
        (&["--help"], Level::Top),
        (&["serve", "--help"], Level::Serve),
        (&["openapi", "--help"], Level::Openapi),
        (&["openapi", "diff", "--help"], Level::Diff),
        (&["asyncapi", "--help"], Level::Asyncapi),
        #[cfg(feature = "dev")]
        (&["dev", "--help"], Level::Dev),
    ];
    for (args, level) in levels {
        let text = help(args);
        assert!(text.starts_with(level.about()), "{text}");
        assert!(text.contains("\n  -h, --help"), "{text}");
        for opt in level.options() {
            assert!(
                text.contains(&opt.shown()),
                "{args:?} lacks {}:\n{text}",
                opt.name
            );
            assert!(
                text.contains(opt.doc),
                "{args:?} lacks {}'s doc:\n{text}",
                opt.name
            );
            if let Some(var) = opt.env {
                assert!(text.contains(&format!("[env: {var}=]")), "{text}");
            }
            if let Some(default) = opt.default {
                assert!(text.contains(&format!("[default: {default}]")), "{text}");
            }
            for (value, doc) in opt.choices {
                assert!(
                    text.contains(&format!("- {value}:")) && text.contains(doc),
                    "{text}"
                );
            }
        }
        for sub in level.subcommands() {
            assert!(text.contains(&format!("\n  {} ", sub.name())), "{text}");
            assert!(text.contains(sub.about()), "{text}");
        }
    }
    // Every option the command line has, by name: the tables above are complete.
    let every: &[(Level, &[&str])] = &[
        (
            Level::Serve,
            &["host", "port", "root-path", "drain-seconds"],
        ),
        (
            Level::Openapi,
            &[
                "out",
                "check",
                "api-version",
                "all",
                "out-dir",
                "spec-version",
                "one-error-schema",
            ],
        ),
        (Level::Diff, &["format", "allow", "api-version"]),
        (Level::Asyncapi, &["out", "check"]),
    ];
    for (level, names) in every {
        let listed: Vec<&str> = level.options().iter().map(|o: &Opt| o.name).collect();
        assert_eq!(listed, *names);
    }
    let top = help(&["--help"]);
    assert!(
        top.starts_with("A ferrapi application\n\nUsage: items [COMMAND]\n\nCommands:\n  serve "),
        "{top}"
    );
    let diff_help = help(&["openapi", "diff", "-h"]);
    assert!(
        diff_help.contains("Usage: items openapi diff [OPTIONS] <OLD> [NEW]"),
        "{diff_help}"
    );
    assert!(
        diff_help.contains("  <OLD>\n          The old document (JSON)"),
        "{diff_help}"
    );
    assert!(
        diff_help.contains("Exits 1 when a change is breaking"),
        "{diff_help}"
    );
}

#[test]
fn help_on_every_level_and_the_help_subcommand() {
    let serve_help = help(&["serve", "--help"]);
    assert_eq!(help(&["serve", "-h"]), serve_help);
    assert_eq!(help(&["help", "serve"]), serve_help);
    // Help wins over what follows it; what precedes it is read first.
    assert_eq!(help(&["serve", "--help", "--frob"]), serve_help);
    assert_eq!(help(&["serve", "--port", "1", "-h"]), serve_help);
    assert_eq!(help(&["help"]), help(&["-h"]));
    assert_eq!(help(&["--help", "serve"]), help(&["help"]));
    let diff_help = help(&["openapi", "diff", "--help"]);
    assert_eq!(help(&["help", "openapi", "diff"]), diff_help);
    assert_eq!(help(&["openapi", "help", "diff"]), diff_help);
    assert_eq!(help(&["openapi", "help"]), help(&["openapi", "--help"]));
    let help_help = help(&["help", "help"]);
    assert!(
        help_help.contains("Usage: items help [COMMAND]..."),
        "{help_help}"
    );
    // The environment's values are shown, as clap showed them.
    let shown = match parse_in(["serve", "--help"], &[("PORT", "9000")]) {
        Err(CliError::Help(text)) => text,
        other => panic!("{other:?}"),
    };
    assert!(
        shown.contains("[env: PORT=9000] [default: 8000]"),
        "{shown}"
    );
}

#[test]
fn diff_positionals_and_repeated_allow() {
    let d = diff(&[
        "openapi",
        "diff",
        "--allow",
        "operation-removed",
        "old.json",
        "--allow=operation-removed@DELETE /items/{id}",
        "new.json",
        "--allow",
        "enum-value-added",
    ]);
    assert_eq!(d.old, PathBuf::from("old.json"));
    assert_eq!(d.new, Some(PathBuf::from("new.json")));
    assert_eq!(
        d.allow,
        [
            "operation-removed",
            "operation-removed@DELETE /items/{id}",
            "enum-value-added"
        ]
    );
    // After `--`, a file whose name starts with a dash.
    let d = diff(&["openapi", "diff", "old.json", "--", "-new.json"]);
    assert_eq!(d.new, Some(PathBuf::from("-new.json")));
    // `help` after `diff` is a file name, as with clap.
    assert_eq!(
        diff(&["openapi", "diff", "help"]).old,
        PathBuf::from("help")
    );
}

#[test]
fn formats_parse_by_their_names() {
    let names = super::commands::DIFF[0].choices.iter().map(|(n, _)| *n);
    let parsed: Vec<Format> = names.map(|n| n.parse().unwrap()).collect();
    assert_eq!(parsed, [Format::Text, Format::Markdown, Format::Json]);
    let e = "yaml".parse::<Format>().unwrap_err();
    assert!(e.contains("text, markdown or json"), "{e}");
}

#[cfg(unix)]
#[test]
fn arguments_that_are_not_utf8() {
    use std::os::unix::ffi::OsStringExt;
    let bad = || OsString::from_vec(b"caf\xe9".to_vec());
    let message = |args: Vec<OsString>| match parse_in(args, &[]) {
        Err(e @ CliError::Usage { .. }) => e.to_string(),
        other => panic!("{other:?}"),
    };
    let m = message(vec![bad()]);
    assert!(
        m.starts_with("error: unrecognized subcommand 'caf\u{fffd}'"),
        "{m}"
    );
    let m = message(vec!["serve".into(), "--host".into(), bad()]);
    assert!(
        m.contains("invalid value 'caf\u{fffd}' for '--host <HOST>': invalid UTF-8"),
        "{m}"
    );
    let m = message(vec![
        "openapi".into(),
        "diff".into(),
        "a".into(),
        "--allow".into(),
        bad(),
    ]);
    assert!(
        m.contains("'--allow <RULE[@METHOD /path]>': invalid UTF-8"),
        "{m}"
    );
    let mut long = b"--".to_vec();
    long.extend(b"caf\xe9");
    let m = message(vec!["serve".into(), OsString::from_vec(long)]);
    assert!(
        m.contains("unexpected argument '--caf\u{fffd}' found"),
        "{m}"
    );
    // Paths may be any bytes, as before.
    match parse_in(vec!["openapi".into(), "--out".into(), bad()], &[]) {
        Ok(Cli {
            command: Some(Command::Openapi(o)),
        }) => assert_eq!(o.out, Some(PathBuf::from(bad()))),
        other => panic!("{other:?}"),
    }
    // So may the program's name.
    let env = |_: &str| None;
    let program = OsString::from_vec(b"/bin/it\xff".to_vec());
    let e = parse(vec![program, "frob".into()], &env).unwrap_err();
    assert!(e.to_string().contains("Usage: it\u{fffd} [COMMAND]"), "{e}");
}

#[test]
fn hostile_arguments() {
    // 10,000 arguments: an error at the first that does not fit, at once.
    let start = Instant::now();
    let many: Vec<String> = std::iter::once("serve".to_string())
        .chain((0..10_000).map(|i| format!("x{i}")))
        .collect();
    assert_eq!(
        error(&many.iter().map(String::as_str).collect::<Vec<_>>()),
        "unexpected argument 'x0' found"
    );
    let mut repeated = vec!["openapi"];
    repeated.extend(std::iter::repeat_n("--all", 10_000));
    assert!(error(&repeated).contains("cannot be used multiple times"));
    let mut help_args = vec!["help"];
    help_args.extend(std::iter::repeat_n("nope", 10_000));
    assert_eq!(error(&help_args), "unrecognized subcommand 'nope'");
    // A repeatable option 10,000 times is read, quickly.
    let mut allows = vec!["openapi", "diff", "old.json"];
    allows.extend(std::iter::repeat_n("--allow=enum-value-added", 10_000));
    assert_eq!(diff(&allows).allow.len(), 10_000);
    assert!(
        start.elapsed() < Duration::from_secs(2),
        "{:?}",
        start.elapsed()
    );

    // A huge argument is cut short in the message; escape sequences are not sent to the
    // terminal.
    let huge = "y".repeat(1_000_000);
    let message = error(&["serve", &huge]);
    assert!(message.len() < 200, "{}", message.len());
    let message = error(&["serve", "--host", "\u{1b}[2J\u{7}"]);
    assert!(
        !message.contains('\u{1b}') && !message.contains('\u{7}'),
        "{message:?}"
    );
    assert!(message.contains("\\u{1b}[2J"), "{message:?}");
    // No arguments at all, not even the program's name.
    let env = |_: &str| None;
    assert!(parse(Vec::<OsString>::new(), &env)
        .unwrap()
        .command
        .is_none());
    let e = parse(vec!["".to_string(), "frob".to_string()], &env).unwrap_err();
    assert!(e.to_string().contains("Usage: app [COMMAND]"), "{e}");
}
