"""The one password of every demo login (printed by `portlab demo`)."""

PASSWORD = "portlab-demo"
