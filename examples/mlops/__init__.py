"""A small MLOps module of the kind pytest-modelreg is for: register, approve, deploy."""
