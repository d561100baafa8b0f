"""Mesa's ``DataCollector`` for the ensemble model, read from the model's own record.

``AllianceModel`` records every trajectory outcome of every replication each month anyway
(``AllianceModel.record``). ``RecordCollector`` is a ``mesa.DataCollector`` whose
``model_vars`` (one list per outcome: the ensemble mean, month 0 … now) are computed from that
record when read, so the collector is available for any number of replications at no cost per
step, and ``mesa.batch_run`` (Mesa 3.3 and ≥ 3.4) and SolaraViz read it as they read any other.
"""

from __future__ import annotations

from typing import Any, Protocol

import mesa
import numpy as np


class _Recording(Protocol):
    month: int

    @property
    def record(self) -> np.ndarray: ...


class RecordCollector(mesa.DataCollector):
    """A ``mesa.DataCollector`` of the ensemble mean of each outcome per month, from the record.

    Args:
        model: the model whose ``record`` (outcomes × months × replications) it reads.
        names: the outcome names, in the record's order.
    """

    def __init__(self, model: _Recording, names: tuple[str, ...]) -> None:
        self._names = names
        self._model: _Recording | None = None  # while Mesa declares the reporters: nothing to read
        # Mesa's reporters are declared (so ``model_reporters`` lists the outcomes), never called.
        super().__init__(model_reporters={n: (lambda m, n=n: None) for n in names})
        self._model = model

    @property  # type: ignore[override]
    def model_vars(self) -> dict[str, list[float]]:
        """Outcome → ensemble means for months 0 … the model's current month."""
        if self._model is None:  # Mesa's __init__ reads it once per reporter
            return {}
        rec = self._model.record
        if rec.size == 0:  # released, or nothing recorded
            return {n: [] for n in self._names}
        means = rec.mean(axis=2)
        return {n: [float(v) for v in means[i]] for i, n in enumerate(self._names)}

    @model_vars.setter
    def model_vars(self, value: Any) -> None:  # Mesa's __init__ assigns {}; the record is the store
        pass

    @property
    def _collection_steps(self) -> list[float]:
        """The model times of the collected rows (Mesa ≥ 3.4's batch_run reads these)."""
        return [] if self._model is None else [float(t) for t in range(self._model.month + 1)]

    @_collection_steps.setter
    def _collection_steps(self, value: Any) -> None:
        pass

    def collect(self, model: Any) -> None:
        """Nothing to do: every month is already in the model's record."""


__all__ = ["RecordCollector"]
