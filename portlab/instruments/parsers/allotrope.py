VENDORS: dict[str, str] = {}
