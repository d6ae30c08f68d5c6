use clap::Parser;

fn main() {
    let cli = wharf::cli::Cli::parse();
    let code = wharf::cli::run(cli);
    wharf::rule_times::report();
    std::process::exit(code);
}
