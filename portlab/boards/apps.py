from django.apps import AppConfig


class BoardsConfig(AppConfig):
    """Boards that read across apps (the quality board reads tests, quality records and
    instruments), kept above them so that quality need not import testing."""

    name = "portlab.boards"
    label = "boards"
