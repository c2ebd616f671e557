"""The plugin's own exceptions and warning: what is not AWS speaking, but the simulation telling the
user something (as opposed to ``botocore.exceptions.ClientError``, which is AWS's answer)."""

from __future__ import annotations


class ModelregError(Exception):
    """Base class of pytest-modelreg's own errors."""


class UnsupportedOperationError(ModelregError, NotImplementedError):
    """A call the simulation cannot serve: neither the registry nor moto implements it."""

    def __init__(self, service: str, operation: str, why: str) -> None:
        self.service = service
        self.operation = operation
        self.why = why
        super().__init__(
            f"pytest-modelreg cannot serve {service}.{operation}: {why}. The call was not sent "
            "anywhere. If your code needs it, stub it (botocore.stub.Stubber) or open an issue "
            "with pytest-modelreg naming the operation."
        )

    def __reduce__(self) -> tuple[type[UnsupportedOperationError], tuple[str, str, str]]:
        # Keep the exception picklable for pytest-xdist.
        return (type(self), (self.service, self.operation, self.why))


class SimulationError(ModelregError, RuntimeError):
    """moto (or the registry) failed in a way AWS would not: a bug in the simulation."""


class AccessDeniedWarning(UserWarning):
    """A call the principal may not make, let through because enforce is ``"warn"``."""


class EventDeliveryWarning(UserWarning):
    """An event a rule matched that the simulation did not deliver to a target (a target type it
    does not simulate, or one AWS would refuse), or an SNS message a subscribed queue's policy
    refuses."""
