"""One module per command; each has ``run(args: argparse.Namespace) -> int``."""
