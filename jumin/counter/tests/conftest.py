"""Browser fixtures (`chromium`, `screens`) live in the root conftest.py, shared by every app's browser tests."""
