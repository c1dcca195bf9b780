#!/usr/bin/env python
import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jmappa.settings")
    from jmappa import embedded

    # Every command uses the same embedded servers when no URLs are set.
    embedded.activate()
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
