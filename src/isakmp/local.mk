# src/isakmp: filled in by its module.
