"""The incident unit: run the payment outage (verify/incident) on a system of
its own and keep what each step recorded as the unit's outputs."""

from __future__ import annotations

from .incident.scenario import Incident, StepFailed, new_run_folder, versions
from .incident.system import Stopped, SystemError
from .process import CheckFailed
from .toolchain import go_version
from .units import Unit

CHECKS = ["go build", "incident run on PostgreSQL, NATS, the order API, the worker and Prometheus"]


def verify(unit: Unit, echo: bool = False) -> dict:
    folder = new_run_folder()
    try:
        outputs = Incident(folder, echo=echo).run()
    except (StepFailed, SystemError, Stopped) as failure:
        raise CheckFailed(f"python -m verify.incident ({unit.key})", str(failure)) from None
    except Exception as error:  # noqa: BLE001 (a bug in the run is still a failed unit, with its cause)
        raise CheckFailed(f"python -m verify.incident ({unit.key})",
                          f"the run broke off: {type(error).__name__}: {error}") from error
    return {
        "checks": CHECKS,
        "tools": {"Go": go_version(), **versions()},
        "outputs": {f"incident:{key}": text for key, text in outputs.items()},
    }
