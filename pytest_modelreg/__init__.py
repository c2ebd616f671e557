"""pytest-modelreg."""
