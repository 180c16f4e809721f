//! The `ferroapi` command.
//!
//! `ferroapi port inspect module:app` imports a FastAPI app in the user's own
//! Python environment and prints its port manifest: every route with its
//! parameters, dependency tree, security and response options, the routers
//! as included, exception handlers, middleware, lifespan, every reachable
//! pydantic model with its fields, config and validators, and FastAPI's own
//! document. Each piece of Python a port must rewrite (handler, dependency,
//! validator, lifespan, middleware function) carries `"todo": true` and its
//! `file:line`. Two runs give byte-identical manifests; FastAPI's, Starlette's
//! and pydantic's versions are recorded in it.
//!
//! `ferroapi contract record module:app` makes requests from the app's own
//! document (a valid one for every operation, then each way it can be wrong
//! before the handler runs), adds the user's (a JSON list, HAR exports),
//! and records FastAPI's answers, twice, noting what differed as proposed
//! noise. `ferroapi contract replay RECORDING --against URL` sends them to
//! the port and fails on every difference its ledger does not list.
//!
//! `ferroapi openapi` prints an app's OpenAPI document without serving it:
//! a ferroapi app's (its binary run with `FERROAPI_OPENAPI` set, which makes
//! `App::serve` write the document and return), or with `MODULE:APP` a
//! FastAPI app's (`app.openapi()`, in the user's Python).

#![forbid(unsafe_code)]

use std::path::PathBuf;
use std::process::{Command, ExitCode, Stdio};

use clap::{Arg, ArgAction, ArgMatches};

mod check;
mod contract;
mod generate;
mod restore;

/// The introspection script, run by the user's Python.
const INSPECT: &str = include_str!("port_inspect.py");

/// The recorder, run by the user's Python.
const RECORD: &str = include_str!("contract_record.py");

/// Imports the app, or says in a line why it cannot: put into each script
/// at its `# ferroapi: load_app` line.
const LOAD_APP: &str = include_str!("load_app.py");

/// Prints a FastAPI app's document, run by the user's Python.
const OPENAPI: &str = r#"
import importlib, json, sys
# ferroapi: load_app
app = load_app(sys.argv[1], sys.argv[2])
print(json.dumps(app.openapi(), indent=2, ensure_ascii=False))
"#;

/// The arguments that say which app and which Python.
fn app_args(cmd: clap::Command) -> clap::Command {
    cmd.arg(
        Arg::new("app")
            .value_name("MODULE:APP")
            .required(true)
            .help("The app to import, as uvicorn names it (`main:app`)"),
    )
    .arg(
        Arg::new("python")
            .long("python")
            .value_name("PATH")
            .default_value("python3")
            .help("The Python that has the app's dependencies"),
    )
    .arg(
        Arg::new("app-dir")
            .long("app-dir")
            .value_name("DIR")
            .default_value(".")
            .help("Where the module is imported from; locations are relative to it"),
    )
    .arg(
        Arg::new("output")
            .short('o')
            .long("output")
            .value_name("FILE")
            .action(ArgAction::Set)
            .help("Write it here instead of standard output"),
    )
}

fn repeated(name: &'static str, value: &'static str, help: &'static str) -> Arg {
    Arg::new(name)
        .long(name)
        .value_name(value)
        .action(ArgAction::Append)
        .help(help)
}

fn cli() -> clap::Command {
    clap::Command::new("ferroapi")
        .about("Carries a FastAPI service across to ferroapi")
        .subcommand_required(true)
        .arg_required_else_help(true)
        .subcommand(
            clap::Command::new("port")
                .about("Ports a FastAPI app")
                .subcommand_required(true)
                .arg_required_else_help(true)
                .subcommand(app_args(
                    clap::Command::new("inspect").about("Writes the app's port manifest (JSON)"),
                ))
                .subcommand(
                    clap::Command::new("generate")
                        .about("Writes a ferroapi crate from a port manifest: models, routes, dependencies; every body a stub")
                        .arg(
                            Arg::new("manifest")
                                .value_name("MANIFEST")
                                .required(true)
                                .help("What `port inspect` wrote"),
                        )
                        .arg(
                            Arg::new("out")
                                .long("out")
                                .value_name("DIR")
                                .required(true)
                                .help("The crate's directory (made if missing; its generated files replaced)"),
                        )
                        .arg(
                            Arg::new("ferroapi-path")
                                .long("ferroapi-path")
                                .value_name("PATH")
                                .help("Depend on ferroapi at this path (crates/ferroapi of a checkout) instead of by version"),
                        )
                        .arg(
                            Arg::new("name")
                                .long("name")
                                .value_name("NAME")
                                .help("The crate's name (the app's module name, with `-port`)"),
                        )
                        .arg(
                            Arg::new("allow-gaps")
                                .long("allow-gaps")
                                .action(ArgAction::SetTrue)
                                .help("Write the crate even where no ferroapi construct expresses the app (each gap marked `TODO(port): NO ..`)"),
                        ),
                )
                .subcommand(
                    clap::Command::new("status")
                        .about("Lists what a generated crate still has to write (`TODO(port)`); fails while any is left")
                        .arg(
                            Arg::new("dir")
                                .value_name("DIR")
                                .default_value(".")
                                .help("The crate's directory"),
                        ),
                ),
        )
        .subcommand(
            clap::Command::new("openapi")
                .about(
                    "Prints an app's OpenAPI document without serving it: a ferroapi app's \
                     (built and run by cargo), or a FastAPI app's with MODULE:APP",
                )
                .arg(
                    Arg::new("app")
                        .value_name("MODULE:APP")
                        .help("A FastAPI app to import (`main:app`); without it, the ferroapi app cargo runs"),
                )
                .arg(
                    Arg::new("python")
                        .long("python")
                        .value_name("PATH")
                        .default_value("python3")
                        .help("With MODULE:APP: the Python that has the app's dependencies"),
                )
                .arg(
                    Arg::new("app-dir")
                        .long("app-dir")
                        .value_name("DIR")
                        .default_value(".")
                        .help("With MODULE:APP: where the module is imported from"),
                )
                .arg(
                    Arg::new("package")
                        .short('p')
                        .long("package")
                        .value_name("NAME")
                        .help("The package whose binary serves the app (cargo's -p)"),
                )
                .arg(
                    Arg::new("bin")
                        .long("bin")
                        .value_name("NAME")
                        .help("The binary that serves the app (cargo's --bin)"),
                )
                .arg(
                    Arg::new("manifest-path")
                        .long("manifest-path")
                        .value_name("PATH")
                        .help("Its Cargo.toml (cargo's --manifest-path)"),
                )
                .arg(
                    Arg::new("output")
                        .short('o')
                        .long("output")
                        .value_name("FILE")
                        .help("Write it here instead of standard output"),
                ),
        )
        .subcommand(
            clap::Command::new("contract")
                .about("Records what a FastAPI app answers, and replays it against a port")
                .subcommand_required(true)
                .arg_required_else_help(true)
                .subcommand(
                    app_args(clap::Command::new("record").about(
                        "Records FastAPI's answers to requests made from the app's document \
                         and to the requests given (JSON)",
                    ))
                    .arg(repeated(
                        "cases",
                        "FILE",
                        "More requests: a JSON list of {name, method, path, headers, body or json}",
                    ))
                    .arg(repeated("har", "FILE", "More requests: a HAR export (a browser's, a proxy's)"))
                    .arg(repeated(
                        "header",
                        "NAME: VALUE",
                        "Sent with every generated request (credentials); recorded as given, not written",
                    ))
                    .arg(repeated(
                        "redact-header",
                        "NAME",
                        "A secret header: not written in requests (given at replay) nor in answers",
                    ))
                    .arg(repeated(
                        "redact-json",
                        "POINTER",
                        "A secret in JSON answers (`/access_token`, `/items/*/key`): not written; the replay asks only that the port answers a value there",
                    ))
                    .arg(
                        Arg::new("no-generate")
                            .long("no-generate")
                            .action(ArgAction::SetTrue)
                            .help("Only the requests given, none made from the document"),
                    )
                    .arg(
                        Arg::new("pytest")
                            .long("pytest")
                            .value_name("ARGS")
                            .num_args(0..=1)
                            .default_missing_value("")
                            .allow_hyphen_values(true)
                            .help("Runs the app's own pytest suite (in --app-dir, with these arguments, split at spaces) and records every request its TestClients send"),
                    )
                    .arg(
                        Arg::new("db")
                            .long("db")
                            .value_name("URL")
                            .requires("pytest")
                            .help("The suite's test database (postgresql://.., sqlite:PATH), emptied and filled again: each request is sent twice from the state it met (what differs is noise), and that state is recorded for `replay --restore-db`"),
                    ),
                )
                .subcommand(
                    clap::Command::new("lock")
                        .about("Writes an app's OpenAPI document to a lock file, to commit")
                        .arg(
                            Arg::new("document")
                                .value_name("FILE|URL")
                                .required(true)
                                .help("The document: a file, or http://HOST:PORT/openapi.json of a running app"),
                        )
                        .arg(
                            Arg::new("host")
                                .long("host")
                                .value_name("NAME")
                                .help("The Host header to send (an app that checks it)"),
                        )
                        .arg(
                            Arg::new("output")
                                .short('o')
                                .long("output")
                                .value_name("FILE")
                                .default_value("openapi.lock.json")
                                .help("The lock file"),
                        ),
                )
                .subcommand(
                    clap::Command::new("check")
                        .about("Lists what a document breaks for clients of the locked one; fails on any break")
                        .arg(
                            Arg::new("lock")
                                .value_name("LOCK")
                                .required(true)
                                .help("The locked document (`contract lock`)"),
                        )
                        .arg(
                            Arg::new("document")
                                .value_name("FILE|URL")
                                .required(true)
                                .help("The document now: a file, or http://HOST:PORT/openapi.json"),
                        ),
                )
                .subcommand(
                    clap::Command::new("replay")
                        .about("Sends a recording's requests to a port and compares the answers")
                        .arg(
                            Arg::new("recording")
                                .value_name("RECORDING")
                                .required(true)
                                .help("What `contract record` wrote"),
                        )
                        .arg(
                            Arg::new("against")
                                .long("against")
                                .value_name("URL")
                                .required(true)
                                .help("The port, served: http://HOST:PORT[/PREFIX]"),
                        )
                        .arg(
                            Arg::new("ledger")
                                .long("ledger")
                                .value_name("FILE")
                                .help("Expected differences: a Markdown table `| case | reason |`"),
                        )
                        .arg(repeated("ignore-header", "NAME", "A header not compared"))
                        .arg(repeated(
                            "ignore",
                            "POINTER",
                            "A JSON pointer left out of JSON bodies (`*` matches any key or index)",
                        ))
                        .arg(repeated(
                            "header",
                            "NAME: VALUE",
                            "The value of a header the recording was given (`--header` at record time)",
                        ))
                        .arg(
                            Arg::new("before-handler")
                                .long("before-handler")
                                .action(ArgAction::SetTrue)
                                .help("Only the cases FastAPI decided before any of the app's code ran (what a generated port answers on day 0)"),
                        )
                        .arg(
                            Arg::new("only")
                                .long("only")
                                .value_name("KINDS")
                                .value_delimiter(',')
                                .help("Only these kinds of case: valid, invalid, routing, given, har, suite"),
                        )
                        .arg(
                            Arg::new("ignore-noise")
                                .long("ignore-noise")
                                .action(ArgAction::SetTrue)
                                .help("Leaves out of each case what differed between the recorder's two sends of it (the noise it proposes)"),
                        )
                        .arg(
                            Arg::new("restore-db")
                                .long("restore-db")
                                .value_name("URL")
                                .help("The port's test database (postgresql://.., sqlite:PATH), emptied and filled again: put in the state each recorded suite request met before it is sent"),
                        ),
                ),
        )
}

fn main() -> ExitCode {
    let matches = cli().get_matches();
    let result = match matches.subcommand() {
        Some(("port", port)) => match port.subcommand() {
            Some(("inspect", args)) => inspect(args),
            Some(("generate", args)) => port_generate(args),
            Some(("status", args)) => port_status(args),
            _ => unreachable!("clap requires a subcommand"),
        },
        Some(("openapi", args)) => openapi(args),
        Some(("contract", c)) => match c.subcommand() {
            Some(("record", args)) => record(args),
            Some(("replay", args)) => replay(args),
            Some(("lock", args)) => lock(args),
            Some(("check", args)) => check_document(args),
            _ => unreachable!("clap requires a subcommand"),
        },
        _ => unreachable!("clap requires a subcommand"),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("ferroapi: {message}");
            ExitCode::FAILURE
        }
    }
}

/// Runs `script` in the user's Python on the app `args` name, with `input`
/// on its standard input, and writes what it prints where `-o` says.
fn run_python(args: &ArgMatches, script: &str, what: &str, input: &[u8]) -> Result<(), String> {
    let app = args.get_one::<String>("app").expect("required");
    if !app.contains(':') || app.starts_with(':') || app.ends_with(':') {
        return Err(format!("`{app}` is not MODULE:APP (say `main:app`)"));
    }
    let python = args.get_one::<String>("python").expect("defaulted");
    // A path is the caller's, relative to where they stand; a bare name is
    // looked up on PATH.
    let python = match python.contains('/') {
        true => std::path::absolute(python)
            .map_err(|e| format!("--python {python}: {e}"))?
            .display()
            .to_string(),
        false => python.clone(),
    };
    let app_dir = PathBuf::from(args.get_one::<String>("app-dir").expect("defaulted"));
    let app_dir = app_dir
        .canonicalize()
        .map_err(|e| format!("--app-dir {}: {e}", app_dir.display()))?;
    // The script goes through `-c`, not a file: nothing to clean up, and no
    // file of ours beside the app shadows one of its modules.
    let script = script.replacen("# ferroapi: load_app\n", LOAD_APP, 1);
    let mut child = Command::new(&python)
        .arg("-c")
        .arg(&script)
        .arg(app)
        .arg(&app_dir)
        .current_dir(&app_dir)
        .env("PYTHONHASHSEED", "0")
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("could not run {python}: {e}"))?;
    {
        use std::io::Write;
        let mut stdin = child.stdin.take().expect("piped");
        stdin
            .write_all(input)
            .map_err(|e| format!("{python}: {e}"))?;
    }
    let out = child
        .wait_with_output()
        .map_err(|e| format!("{python}: {e}"))?;
    if !out.status.success() {
        let said = String::from_utf8_lossy(&out.stderr);
        // A line of load_app's (exit 2) is the whole story; anything else
        // is a traceback to show as it is.
        return Err(match out.status.code() {
            Some(2) if said.trim().lines().count() == 1 => format!("{app}: {}", said.trim()),
            _ => format!("{python} could not {what} {app}:\n{said}"),
        });
    }
    // What the script has to tell the user (a suite that failed).
    for line in String::from_utf8_lossy(&out.stderr).lines() {
        if let Some(said) = line.strip_prefix("ferroapi: ") {
            eprintln!("{said}");
        }
    }
    write_out(args.get_one::<String>("output"), &out.stdout)
}

fn write_out(file: Option<&String>, data: &[u8]) -> Result<(), String> {
    match file {
        Some(file) => std::fs::write(file, data).map_err(|e| format!("{file}: {e}")),
        None => {
            use std::io::Write;
            std::io::stdout().write_all(data).map_err(|e| e.to_string())
        }
    }
}

/// `openapi`: a FastAPI app's document from its Python, or a ferroapi app's
/// from its binary (run by cargo with `FERROAPI_OPENAPI` naming a file).
fn openapi(args: &ArgMatches) -> Result<(), String> {
    if args.get_one::<String>("app").is_some() {
        return run_python(args, OPENAPI, "import", b"");
    }
    let file = std::env::temp_dir().join(format!("ferroapi-openapi-{}.json", std::process::id()));
    let _ = std::fs::remove_file(&file);
    let mut cargo = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    cargo.args(["run", "--quiet"]);
    for (flag, name) in [
        ("-p", "package"),
        ("--bin", "bin"),
        ("--manifest-path", "manifest-path"),
    ] {
        if let Some(v) = args.get_one::<String>(name) {
            cargo.args([flag, v]);
        }
    }
    let out = cargo
        // `ferroapi::OPENAPI_ENV`: `App::serve` writes the document there.
        .env("FERROAPI_OPENAPI", &file)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .output()
        .map_err(|e| format!("could not run cargo: {e}"))?;
    let doc = std::fs::read(&file).map_err(|_| {
        let why = match out.status.success() {
            true => "it ran without writing one: does its main serve the app with \
                     `App::serve` or `App::serve_until`?"
                .to_string(),
            false => format!(
                "it failed before serving (an app that needs a database or settings \
                 before it serves needs them here too):\n{}",
                String::from_utf8_lossy(&out.stderr)
            ),
        };
        format!("no document from the app: {why}")
    })?;
    let _ = std::fs::remove_file(&file);
    write_out(args.get_one::<String>("output"), &doc)
}

/// `port inspect`: runs the introspection script, writes what it prints.
fn inspect(args: &ArgMatches) -> Result<(), String> {
    run_python(args, INSPECT, "inspect", b"")
}

/// `port generate`: the crate, or the list of what it cannot express.
fn port_generate(args: &ArgMatches) -> Result<(), String> {
    let file = args.get_one::<String>("manifest").expect("required");
    let text = std::fs::read_to_string(file).map_err(|e| format!("{file}: {e}"))?;
    let manifest: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| format!("{file}: not JSON: {e}"))?;
    let ferroapi = match args.get_one::<String>("ferroapi-path") {
        Some(p) => generate::Ferroapi::Path(
            std::path::absolute(p)
                .map_err(|e| format!("--ferroapi-path {p}: {e}"))?
                .display()
                .to_string(),
        ),
        None => generate::Ferroapi::Version(env!("CARGO_PKG_VERSION").to_string()),
    };
    let name = match args.get_one::<String>("name") {
        Some(n) => n.clone(),
        None => {
            let module = manifest["target"].as_str().unwrap_or("app");
            let module = module.split(':').next().unwrap_or(module);
            let module = module.rsplit('.').next().unwrap_or(module);
            format!("{}-port", module.replace('_', "-").to_lowercase())
        }
    };
    let generated = generate::generate(&manifest, &name, &ferroapi)?;
    for (at, what) in &generated.gaps {
        eprintln!("NO {what} ({at})");
    }
    if !generated.gaps.is_empty() && !args.get_flag("allow-gaps") {
        return Err(format!(
            "{} constructs have no ferroapi form the generator writes (listed above, and in the guide's porting table); nothing written. --allow-gaps writes the crate with each marked",
            generated.gaps.len()
        ));
    }
    let out = PathBuf::from(args.get_one::<String>("out").expect("required"));
    generate::write(&out, &generated)?;
    // Laid out as the team's own code would be, when rustfmt is at hand.
    let sources: Vec<PathBuf> = generated
        .files
        .keys()
        .filter(|f| f.ends_with(".rs"))
        .map(|f| out.join(f))
        .collect();
    let _ = Command::new("rustfmt")
        .args(["--edition", "2021"])
        .args(&sources)
        .stderr(Stdio::null())
        .status();
    println!(
        "wrote {} ({} stubs to write, {} gaps): `ferroapi port status {}` lists them",
        out.display(),
        generated.stubs,
        generated.gaps.len(),
        out.display()
    );
    Ok(())
}

/// `port status`: what is left to write; fails while anything is.
fn port_status(args: &ArgMatches) -> Result<(), String> {
    let dir = PathBuf::from(args.get_one::<String>("dir").expect("defaulted"));
    let (stubs, gaps) = generate::status(&dir)?;
    for g in &gaps {
        println!("NO   {g}");
    }
    for s in &stubs {
        println!("STUB {s}");
    }
    println!("status: {} stubs, {} gaps left", stubs.len(), gaps.len());
    match stubs.is_empty() && gaps.is_empty() {
        true => Ok(()),
        false => Err(format!("{}: the port is not finished", dir.display())),
    }
}

/// `NAME: VALUE` as a pair.
fn header_pair(h: &str) -> Result<(String, String), String> {
    match h.split_once(':') {
        Some((k, v)) if !k.trim().is_empty() => Ok((k.trim().to_string(), v.trim().to_string())),
        _ => Err(format!("--header {h:?}: say `NAME: VALUE`")),
    }
}

fn headers(args: &ArgMatches) -> Result<Vec<(String, String)>, String> {
    args.get_many::<String>("header")
        .into_iter()
        .flatten()
        .map(|h| header_pair(h))
        .collect()
}

/// Paths the user gave, made absolute (the script runs in the app's directory).
fn files(args: &ArgMatches, name: &str) -> Result<Vec<String>, String> {
    args.get_many::<String>(name)
        .into_iter()
        .flatten()
        .map(|f| {
            std::path::absolute(f)
                .map(|p| p.display().to_string())
                .map_err(|e| format!("--{name} {f}: {e}"))
        })
        .collect()
}

/// The values given to a repeated option.
fn strings(args: &ArgMatches, name: &str) -> Vec<String> {
    args.get_many::<String>(name)
        .into_iter()
        .flatten()
        .cloned()
        .collect()
}

/// JSON pointers the user gave (each starting with `/`).
fn pointers(args: &ArgMatches, name: &str) -> Result<Vec<String>, String> {
    strings(args, name)
        .into_iter()
        .map(|p| match p.starts_with('/') {
            true => Ok(p),
            false => Err(format!("--{name} {p:?}: a JSON pointer starts with `/`")),
        })
        .collect()
}

/// `contract record`: runs the recorder, writes what it prints.
fn record(args: &ArgMatches) -> Result<(), String> {
    let options = serde_json::json!({
        "generate": !args.get_flag("no-generate"),
        "cases": files(args, "cases")?,
        "har": files(args, "har")?,
        "headers": headers(args)?,
        "redact_headers": strings(args, "redact-header"),
        "redact_json": pointers(args, "redact-json")?,
        "pytest": args.get_one::<String>("pytest").map(|a| a.split_whitespace().collect::<Vec<_>>()),
        "db": args.get_one::<String>("db"),
    });
    run_python(args, RECORD, "record", options.to_string().as_bytes())
}

/// `contract replay`: prints each unlisted difference and stale ledger row,
/// then the summary; fails unless the port kept the contract.
fn replay(args: &ArgMatches) -> Result<(), String> {
    let file = args.get_one::<String>("recording").expect("required");
    let recording = std::fs::read_to_string(file).map_err(|e| format!("{file}: {e}"))?;
    let ledger = match args.get_one::<String>("ledger") {
        Some(f) => Some(std::fs::read_to_string(f).map_err(|e| format!("{f}: {e}"))?),
        None => None,
    };
    let opts = contract::Replay {
        against: args.get_one::<String>("against").expect("required").clone(),
        ledger,
        ignore_headers: strings(args, "ignore-header"),
        ignore_pointers: strings(args, "ignore"),
        headers: headers(args)?,
        only: strings(args, "only"),
        before_handler: args.get_flag("before-handler"),
        restore_db: args.get_one::<String>("restore-db").cloned(),
        ignore_noise: args.get_flag("ignore-noise"),
    };
    let out = contract::replay(&recording, &opts)?;
    for d in &out.different {
        println!("DIFFERENT {d}");
    }
    for s in &out.stale {
        println!("STALE LEDGER ROW {s}");
    }
    for (what, n) in &out.noise {
        match opts.ignore_noise {
            true => println!("noise seen at record time (left out of those cases: --ignore-noise): {what} in {n} cases"),
            false => println!("noise seen at record time (not applied; --ignore/--ignore-header/--ignore-noise to apply): {what} in {n} cases"),
        }
    }
    println!("{}", out.summary());
    match out.kept() {
        true => Ok(()),
        false => Err(format!("{file}: the port does not answer as recorded")),
    }
}

/// A document from a file or a running app.
fn document(source: &str, host: Option<&str>) -> Result<serde_json::Value, String> {
    let bytes = match source.starts_with("http://") {
        true => contract::get(source, host)?,
        false => std::fs::read(source).map_err(|e| format!("{source}: {e}"))?,
    };
    serde_json::from_slice(&bytes).map_err(|e| format!("{source}: not a JSON document: {e}"))
}

/// `contract lock`: the document, indented, as the lock file.
fn lock(args: &ArgMatches) -> Result<(), String> {
    let host = args.get_one::<String>("host").map(String::as_str);
    let doc = document(args.get_one::<String>("document").expect("required"), host)?;
    if doc.get("openapi").is_none() || doc.get("paths").is_none() {
        return Err("not an OpenAPI document (no `openapi` or `paths`)".into());
    }
    let mut text = serde_json::to_string_pretty(&doc).map_err(|e| e.to_string())?;
    text.push('\n');
    let file = args.get_one::<String>("output").expect("defaulted");
    std::fs::write(file, text).map_err(|e| format!("{file}: {e}"))
}

/// `contract check`: each change, breaking ones first; fails on any break.
fn check_document(args: &ArgMatches) -> Result<(), String> {
    let old = document(args.get_one::<String>("lock").expect("required"), None)?;
    let new = document(args.get_one::<String>("document").expect("required"), None)?;
    let changes = check::check(&old, &new);
    for c in &changes.breaking {
        println!("BREAKING {c}");
    }
    for c in &changes.other {
        println!("safe     {c}");
    }
    println!(
        "check: {} breaking changes, {} safe",
        changes.breaking.len(),
        changes.other.len()
    );
    match changes.breaking.is_empty() {
        true => Ok(()),
        false => Err("the document breaks clients of the locked one".into()),
    }
}
