use clap::Parser;

fn main() {
    let cli = wharf::cli::Cli::parse();
    std::process::exit(wharf::cli::run(cli));
}
