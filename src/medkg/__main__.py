"""`python -m medkg` runs the command line."""

from medkg.cli import main

if __name__ == "__main__":  # not when imported (e.g. by a spawned worker process)
    main()
