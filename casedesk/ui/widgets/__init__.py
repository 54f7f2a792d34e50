"""Reusable input widgets: fields with their error line, dates, amounts, code inputs."""
