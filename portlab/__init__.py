"""PortLab: a platform for networks of inspection laboratories."""
