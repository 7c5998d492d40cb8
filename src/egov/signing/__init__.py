"""Digital signatures on PDF (PAdES, with pyHanko): keys, signing, verification."""
