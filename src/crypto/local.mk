# src/crypto: filled in by its module.
