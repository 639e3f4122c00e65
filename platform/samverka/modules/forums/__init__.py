"""Forums (samverkansforum) and their meetings, in each municipality's own schema."""

# Registers the forums module's region providers (counts only; the region imports no forum model).
from samverka.modules.forums import region as _region  # noqa: F401
