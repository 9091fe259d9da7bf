"""crosspost: research summaries in, faithful platform-fitted posts out, never twice."""

__version__ = "0.1.0"
__all__ = ["__version__"]
