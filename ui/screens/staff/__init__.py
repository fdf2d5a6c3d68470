"""Staff at the desk: sign-in and lock, the idle watch, the Staff and Audit log pages."""
