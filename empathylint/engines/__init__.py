"""How batches move: `local` streams an export through the per-batch function on this machine, with
checkpoints to resume from. The batch function (`report.batch`) knows nothing of engines."""
