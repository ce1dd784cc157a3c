"""Scale-out: the batch pipeline on Dask (a local cluster, or any dask.distributed scheduler)."""

from .batch import BatchResult, BatchSettings, run_batch

__all__ = ["BatchSettings", "BatchResult", "run_batch"]
