"""The `portlab` console command: Django's management commands under PortLab's settings."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    from django.core.management import execute_from_command_line

    arguments = sys.argv[1:]
    # `portlab audit-verify` reads better than `audit_verify`; Django names commands by module.
    if arguments and not arguments[0].startswith("-"):
        arguments[0] = arguments[0].replace("-", "_")
    execute_from_command_line(["portlab", *arguments])


if __name__ == "__main__":
    main()
