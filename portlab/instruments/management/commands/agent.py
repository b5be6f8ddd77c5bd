import logging
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from portlab.instruments.agent.adapters import adapter_create
from portlab.instruments.agent.client import AgentClient, ServerError
from portlab.instruments.agent.runner import Agent


class Command(BaseCommand):
    help = ("Run the instrument agent: heartbeats, result file upload from --watch, remote "
            "commands. It only talks to the server over HTTP(S), never to the database.")

    def add_arguments(self, parser) -> None:
        parser.add_argument("--url", required=True, help="PortLab server, e.g. https://lab.example")
        parser.add_argument("--token", required=True, help="from `portlab instrument-token`")
        parser.add_argument("--adapter", choices=["simulator", "opcua"], default="simulator")
        parser.add_argument("--endpoint", default="", help="opc.tcp://host:port/ (opcua)")
        parser.add_argument("--watch", type=Path, help="folder the instrument exports to")
        parser.add_argument("--interval", type=float, default=15.0, help="seconds per cycle")
        parser.add_argument("--settle", type=float, default=2.0,
                            help="seconds a file must stay unchanged before upload")
        parser.add_argument("--once", action="store_true", help="one cycle, then exit")

    def handle(self, *args, **options) -> None:
        logging.basicConfig(level=logging.INFO if options["verbosity"] > 1 else logging.WARNING)
        if options["watch"] is not None and not options["watch"].is_dir():
            raise CommandError(f"--watch {options['watch']} is not a folder.")
        try:
            adapter = adapter_create(options["adapter"], options["endpoint"])
        except (ValueError, OSError) as error:
            raise CommandError(f"Adapter: {error}") from error
        agent = Agent(AgentClient(options["url"], options["token"]), adapter,
                      watch=options["watch"], settle_seconds=options["settle"])
        try:
            if options["once"]:
                self.stdout.write(str(agent.cycle()))
            else:
                agent.run(options["interval"])
        except ServerError as error:
            raise CommandError(f"Server refused: {error}") from error
        except OSError as error:
            raise CommandError(f"Cannot reach {options['url']}: {error}") from error
        finally:
            adapter.close()
