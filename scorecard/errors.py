"""Errors a person can act on: one clear line, printed by the CLI and shown by the GUI."""


class ScorecardError(Exception):
    """Base for every error caused by the user's input or files rather than by a bug."""


class WorkspaceError(ScorecardError):
    """A workspace file cannot be created or opened."""


class WorkspaceNotFound(WorkspaceError):
    pass


class WorkspaceExists(WorkspaceError):
    pass


class NotAWorkspace(WorkspaceError):
    pass


class CorruptWorkspace(WorkspaceError):
    pass


class NewerWorkspace(WorkspaceError):
    pass


class Cancelled(ScorecardError):
    """The user cancelled a long operation; nothing was written."""
