"""``samverka worker`` with the test tasks registered, for tests that run a real worker process."""

import tests.jobs.helpers  # noqa: F401 - registers the test tasks
from samverka.cli import cli

if __name__ == "__main__":
    cli(["worker"], prog_name="samverka")
