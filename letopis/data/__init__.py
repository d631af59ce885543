"""Package data: lexicons and models that ship inside letopis."""
