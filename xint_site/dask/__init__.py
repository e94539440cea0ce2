"""Notebooks run on a Dask cluster (``xint-site build --scheduler ...``).

The build plans, looks up the cache and renders as always; only the notebooks that
missed the cache go to the cluster, one Dask task each (``executor.py``). A worker runs
a task in its own kernels (``task.py``), provisioned on it by a worker plugin
(``plugin.py``) or ``dask worker --preload xint_site.dask.preload``. Importing this
package imports nothing of Dask: the executor does, when a build asks for a cluster.
"""
