"""Forums (samverkansforum) and their meetings, in each municipality's own schema."""
