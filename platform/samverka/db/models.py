"""Import every module's models so the metadata is complete (migrations, tests)."""

from importlib import import_module

#: Modules with models; a new module with tables adds its name here.
MODEL_MODULES = (
    "samverka.db.keycheck",
    "samverka.modules.tenancy.models",
    "samverka.modules.keys.models",
    "samverka.modules.auth.models",
    "samverka.modules.auth.models_links",
    "samverka.modules.jobs.models",
    "samverka.modules.audit.models",
    "samverka.modules.forums.models",
    "samverka.modules.region.models",
    "samverka.modules.storage.models",
)


def load_all_models() -> None:
    """Import the model modules (idempotent)."""
    for name in MODEL_MODULES:
        import_module(name)
