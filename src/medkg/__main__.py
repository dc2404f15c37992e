"""`python -m medkg` runs the command line."""

from medkg.cli import main

main()
