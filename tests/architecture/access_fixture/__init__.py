"""A tiny fake module for the access-rule test: one function of each verdict the test can give."""
