"""``python -m tokko``: the same command line as the ``tokko`` script."""

from tokko.cli import main

if __name__ == "__main__":
    main()
