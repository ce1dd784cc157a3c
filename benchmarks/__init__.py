"""rashomon's benchmarks: quality and speed measurements, each printing a table.

Run them all with ``python -m benchmarks``, one with ``python -m benchmarks NAME``
(``python -m benchmarks --list`` names them). A benchmark is a module with
``run(console)`` registered in :data:`benchmarks.__main__.BENCHMARKS`.
"""
