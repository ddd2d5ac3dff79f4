"""Job kinds the worker can run; see app.worker.KINDS."""
