# src/kernel: filled in by its module.
