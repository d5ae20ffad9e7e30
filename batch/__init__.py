"""Running `pipeline.process_file` over many documents: isolated worker processes
with per-document time and memory limits (runner.py), the local pool and the Dask
executor (executors.py), the appendable Parquet dataset (dataset.py) and the
progress display and summary (progress.py).

Nothing here imports PyMuPDF: only the worker processes (batch/worker.py) read PDFs.
"""
