"""`python -m tenor` runs the CLI."""

from tenor.cli import main

main(prog_name="tenor")
