"""The simulation: scenarios, parameters, rules, agents and the vectorised Mesa model.

Imports nothing from ``alliance.analysis``, plotly, SALib or dask.
"""

from .checks import ParameterError, check_params
from .model import AllianceModel
from .outcomes import OUTCOMES, SUMMARY_OUTCOMES, TRAJECTORY_OUTCOMES
from .parameters import DOMAINS, PARAMS, RUNGS
from .scenario import Scenario
from .scenario_files import load_scenario
from .simulate import Results, simulate

__all__ = [
    "DOMAINS",
    "OUTCOMES",
    "PARAMS",
    "RUNGS",
    "SUMMARY_OUTCOMES",
    "TRAJECTORY_OUTCOMES",
    "AllianceModel",
    "ParameterError",
    "Results",
    "Scenario",
    "check_params",
    "load_scenario",
    "simulate",
]
