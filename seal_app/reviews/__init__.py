"""The jury's side: which assessor reviews which application."""
