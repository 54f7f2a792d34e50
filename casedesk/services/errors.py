"""Errors a service raises; ``str(error)`` is a Chinese message fit to show the user."""

from __future__ import annotations

from casedesk.domain.errors import FieldErrors

__all__ = ["Conflict", "FieldErrors", "NotFound", "NotPermitted", "ServiceError", "SignInRefused"]


class ServiceError(Exception):
    """An action that cannot be carried out, with the reason in Chinese."""


class NotFound(ServiceError):
    pass


class Conflict(ServiceError):
    """The record changed since it was read (someone else saved first)."""


class NotPermitted(ServiceError):
    """The signed-in user's roles do not allow the action; the message says why and who may."""


class SignInRefused(ServiceError):
    """Wrong login or password, a locked or deactivated account; the message says which."""
