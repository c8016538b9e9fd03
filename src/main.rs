use std::process::ExitCode;

fn main() -> ExitCode {
    newsframe::cli::main()
}
