"""Errors a user can fix. The CLI prints them on one line and exits with code 2."""


class UserError(Exception):
    """Base class for mistakes in input: configs, data, CLI arguments, export inputs."""


class ConfigError(UserError):
    """A config file or override is malformed, names an unknown key, or has a bad value."""


class DataError(UserError):
    """A dataset is missing, empty, or its images have the wrong shape."""


class RunDirError(UserError):
    """A run directory is missing, incomplete, or would be overwritten."""
