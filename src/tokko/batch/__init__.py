"""Batch review of many governments' declarations (``tokko batch``), in one process."""

from tokko.batch.run import BatchReport, Progress, run_batch

__all__ = ["BatchReport", "Progress", "run_batch"]
