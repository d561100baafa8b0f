"""Studies: scenarios × samples × replications run in chunks and stored as resumable Parquet.

``plan`` fixes what runs, ``chunks`` runs and encodes a piece of it, ``executors`` spread chunks
over in-process, local-process or Dask workers, ``store`` reads and writes a study folder, and
``batch`` drives the whole. Imports only ``alliance.model`` and ``alliance.errors``.
"""
