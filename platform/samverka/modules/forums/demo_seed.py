"""(stub) demo forums for the Dalsland municipalities."""
