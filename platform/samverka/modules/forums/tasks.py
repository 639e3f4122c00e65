"""(stub) job functions."""
