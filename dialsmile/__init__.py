"""dialsmile: a terminal call-session coach for reps who cold-call."""

__version__ = "0.1.0"
