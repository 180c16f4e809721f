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

#![forbid(unsafe_code)]

use std::path::PathBuf;
use std::process::{Command, ExitCode};

use clap::{Arg, ArgAction, ArgMatches};

/// The introspection script, run by the user's Python.
const INSPECT: &str = include_str!("port_inspect.py");

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
                .subcommand(
                    clap::Command::new("inspect")
                        .about("Writes the app's port manifest (JSON)")
                        .arg(
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
                                .help("Write the manifest here instead of standard output"),
                        ),
                ),
        )
}

fn main() -> ExitCode {
    let matches = cli().get_matches();
    let result = match matches.subcommand() {
        Some(("port", port)) => match port.subcommand() {
            Some(("inspect", args)) => inspect(args),
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

/// `port inspect`: runs the script in the user's Python, writes what it prints.
fn inspect(args: &ArgMatches) -> Result<(), String> {
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
    let out = Command::new(&python)
        .arg("-c")
        .arg(INSPECT)
        .arg(app)
        .arg(&app_dir)
        .current_dir(&app_dir)
        .env("PYTHONHASHSEED", "0")
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .output()
        .map_err(|e| format!("could not run {python}: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "{python} could not inspect {app}:\n{}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    match args.get_one::<String>("output") {
        Some(file) => std::fs::write(file, &out.stdout).map_err(|e| format!("{file}: {e}")),
        None => {
            use std::io::Write;
            std::io::stdout()
                .write_all(&out.stdout)
                .map_err(|e| e.to_string())
        }
    }
}
