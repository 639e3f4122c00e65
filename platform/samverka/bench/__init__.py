"""On-demand benchmarks: ``samverka bench …`` prints figures; never timed assertions."""
