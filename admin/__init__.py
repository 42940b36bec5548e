"""The bakery staff back office (`/admin/<slug>/`), the operators' console (`/platform/`) and
the public sign-up page. Views here are thin: resolve, authorize, validate, call a service,
commit once, render."""
