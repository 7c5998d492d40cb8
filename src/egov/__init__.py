"""egov: e-government platform for a Vietnamese city or province."""

__version__ = "0.1.0"
